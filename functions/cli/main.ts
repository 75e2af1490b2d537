/**
 * The `fleet-auditor` command. Exit codes: 0 when the command ran (whatever it found), 2 on bad input with a
 * one-line reason, 1 on failure.
 */
import { FleetFileError } from '../sim/index.ts';
import { renderReport } from './audit-command.ts';
import { openFleetSession } from './fleet-session.ts';
import { emit } from './output.ts';
import { nightly } from './nightly-command.ts';
import { parseCli } from './options.ts';
import { plan } from './plan-command.ts';
import { rollback } from './rollback-command.ts';
import { upgrade } from './upgrade-command.ts';
import { blueGreen } from './blue-green-command.ts';
import type { CliOptions } from './options.ts';
import type { CliIo } from './cli-io.ts';
import { USAGE, UsageError } from './usage.ts';

export type { CliIo } from './cli-io.ts';

const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr, clock: () => new Date() };

function progress(io: CliIo): ((done: number, total: number) => void) | undefined {
  if (io.stderr.isTTY !== true) return undefined;
  return (done, total) => {
    io.stderr.write(`\r\x1b[2Kaudited ${done}/${total} account-regions`);
    if (done === total) io.stderr.write('\r\x1b[2K');
  };
}

async function audit(options: CliOptions, io: CliIo): Promise<number> {
  const now = options.now ?? io.clock();
  const session = await openFleetSession(options, { now });
  try {
    const { report } = await session.audit(now, options.simulate === null ? progress(io) : undefined);
    const colour = options.out === null && io.stdout.isTTY === true && options.format === 'table';
    await emit(options, io, renderReport(report, options.format, colour));
    return 0;
  } finally {
    await session.close();
  }
}

const COMMANDS: Record<string, (options: CliOptions, io: CliIo) => Promise<number>> = {
  audit,
  nightly,
  plan,
  upgrade,
  rollback: (options, io) => rollback(options, io),
  'blue-green': blueGreen,
};

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  try {
    const options = parseCli(argv);
    if (options.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (options.command === '') {
      io.stderr.write(USAGE);
      return 2;
    }
    const command = COMMANDS[options.command];
    if (command === undefined) throw new UsageError(`unknown command "${options.command}" (try --help)`);
    const extra = ['upgrade', 'rollback', 'blue-green'].includes(options.command) ? [] : options.positionals;
    if (extra.length > 0) throw new UsageError(`${options.command}: unexpected argument "${extra[0]}"`);
    return await command(options, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof FleetFileError) {
      io.stderr.write(`fleet-auditor: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`fleet-auditor: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
