/**
 * The `fleet-auditor` command. Exit codes (DESIGN §5.1): 0 when the command ran (whatever it found), 1 on failure
 * (including "no account-region could be read at all"), 2 on bad input with a one-line reason, 3 when `--fail-on`
 * is given and some cluster is at or above it. Each command's modules are loaded only when that command runs, so
 * `--help` and `--version` answer without loading the AWS SDK or the simulator.
 */
import type { CliIo } from './cli-io.ts';
import { parseCli, usageText } from './options.ts';
import type { CliOptions } from './options.ts';
import { FleetFileError } from '../sim/errors.ts';
import { EXIT, UsageError } from './usage.ts';

export type { CliIo } from './cli-io.ts';

const PROCESS_IO: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  clock: () => new Date(),
  env: process.env,
};

type Run = (options: CliOptions, io: CliIo) => Promise<number>;

/** Each command's runner, imported when the command runs. */
const COMMANDS: Record<string, () => Promise<Run>> = {
  audit: async () => (await import('./audit-command.ts')).audit,
  plan: async () => (await import('./plan-command.ts')).plan,
  upgrade: async () => (await import('./upgrade-command.ts')).upgrade,
  rollback: async () => (await import('./rollback-command.ts')).rollback,
  'blue-green': async () => (await import('./blue-green-command.ts')).blueGreen,
  nightly: async () => (await import('./nightly-command.ts')).nightly,
};

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  try {
    if (argv.length === 0) {
      io.stderr.write(usageText());
      return EXIT.USAGE;
    }
    const options = parseCli(argv);
    if (options.answer !== null) {
      io.stdout.write(options.answer);
      return EXIT.OK;
    }
    const load = COMMANDS[options.command];
    if (load === undefined) throw new UsageError(`unknown command "${options.command}" (try --help)`);
    const command = await load();
    return await command(options, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof FleetFileError) {
      io.stderr.write(`fleet-auditor: ${error.message}\n`);
      return EXIT.USAGE;
    }
    io.stderr.write(`fleet-auditor: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.FAILURE;
  }
}
