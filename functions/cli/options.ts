/**
 * Parses and validates the command line into typed options, per command (commander): each command accepts only
 * its own options, and any problem — an unknown or misplaced option, a bad value — is a UsageError naming it in
 * one line. Imports nothing heavy (no AWS SDK), so `--help` and `--version` answer fast.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ACCOUNT_ID_PATTERN, OU_ID_PATTERN, ROOT_ID_PATTERN } from '../core/identifiers.ts';
import { READ_ROLE_NAME } from '../core/naming.ts';
import { SEVERITIES } from '../core/types.ts';
import type { Severity } from '../core/types.ts';
import { closestRegion, isRegionName } from './regions.ts';
import { COMMAND_SUMMARIES, UsageError } from './usage.ts';
import { DEFAULT_OWNER_TAGS, DEFAULT_TAG_PREFIX } from '../core/defaults.ts';

/** The formats of `audit`; `blue-green` also writes `eksctl` (a ClusterConfig). */
const FORMATS = ['table', 'json', 'csv', 'html'] as const;
export type Format = (typeof FORMATS)[number] | 'eksctl';

/** The commands of `fleet-auditor`. */
const COMMANDS = ['audit', 'plan', 'upgrade', 'rollback', 'blue-green', 'nightly'] as const;
type CommandName = (typeof COMMANDS)[number];

export interface CliOptions {
  readonly command: string;
  readonly positionals: readonly string[];
  readonly simulate: string | null;
  readonly accounts: readonly { id: string; name: string | null }[] | null;
  /** Roots (`r-…`) and OUs (`ou-…`) whose accounts to audit, nested OUs included; null = the whole organization. */
  readonly organizationalUnits: readonly string[] | null;
  readonly regions: readonly string[] | null;
  readonly role: string;
  readonly tagPrefix: string;
  /** The fixed clock, or null for the real one. */
  readonly now: Date | null;
  readonly format: Format;
  readonly out: string | null;
  readonly state: string | null;
  /** `nightly --reset-state`: move the local store into a backup folder in DIR and start with an empty one. */
  readonly resetState: boolean;
  readonly dryRun: boolean;
  /** `blue-green --target 1.NN`: the replacement's version; null = the cluster's upgrade target. */
  readonly target: string | null;
  readonly help: boolean;
  /** The shared-config profile whose credentials the SDK uses (real AWS only); null = the default chain. */
  readonly profile: string | null;
  /** The region of the STS and Organizations calls (real AWS only); null = AWS_REGION, else us-east-1. */
  readonly homeRegion: string | null;
  /** Exit 3 when some cluster is at or above this severity; null = never. */
  readonly failOn: Severity | null;
  /** Tag keys naming a cluster's owner, first present wins. */
  readonly ownerTags: readonly string[];
  /** Text to print on standard output instead of running a command (`--help`, `--version`); null otherwise. */
  readonly answer: string | null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** True when YYYY-MM-DD names a real calendar day (JavaScript would roll 2026-02-30 over to March 2). */
function isRealDay(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseNow(text: string): Date {
  const date = new Date(text);
  if (!ISO_INSTANT.test(text) || Number.isNaN(date.getTime()) || !isRealDay(text)) {
    throw new UsageError(`--now: "${text}" is not an ISO-8601 instant like 2026-11-22T12:00:00Z`);
  }
  return date;
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function regionProblem(name: string): string {
  const near = closestRegion(name);
  return near === null ? name : `${name} (did you mean ${near}?)`;
}

function parseRegions(text: string): string[] {
  const regions = list(text);
  const bad = regions.filter((r) => !isRegionName(r));
  if (bad.length > 0 || regions.length === 0) {
    throw new UsageError(`--regions: not an AWS region name: ${bad.map(regionProblem).join(', ') || '(empty)'}`);
  }
  return [...new Set(regions)];
}

function parseHomeRegion(text: string): string {
  if (!isRegionName(text)) throw new UsageError(`--region: not an AWS region name: ${regionProblem(text)}`);
  return text;
}

function parseAccounts(text: string): { id: string; name: string | null }[] {
  const ids = list(text);
  const bad = ids.filter((id) => !ACCOUNT_ID_PATTERN.test(id));
  if (bad.length > 0) throw new UsageError(`--accounts: not a 12-digit AWS account id: ${bad.join(', ')}`);
  if (ids.length === 0) throw new UsageError('--accounts: no account id given');
  return [...new Set(ids)].map((id) => ({ id, name: null }));
}

function parseOrganizationalUnits(text: string): string[] {
  const ids = list(text);
  const bad = ids.filter((id) => !ROOT_ID_PATTERN.test(id) && !OU_ID_PATTERN.test(id));
  if (bad.length > 0) {
    throw new UsageError(`--organizational-units: not an organization root (r-…) or OU id (ou-…-…): ${bad.join(', ')}`);
  }
  if (ids.length === 0) throw new UsageError('--organizational-units: no root or OU id given');
  return [...new Set(ids)];
}

function parseFormat(text: string | undefined, command: string, allowed: readonly Format[]): Format {
  const format = text ?? 'table';
  if (format === 'eksctl' && command !== 'blue-green') {
    throw new UsageError(`--format eksctl is for blue-green only; ${command} takes ${allowed.join(', ')}`);
  }
  if (!(allowed as readonly string[]).includes(format)) {
    const prefix = command === 'audit' ? '--format' : `${command} --format`;
    throw new UsageError(`${prefix}: "${format}" is not one of ${allowed.join(', ')}`);
  }
  return format as Format;
}

function parseFailOn(text: string | undefined): Severity | null {
  if (text === undefined) return null;
  const severity = text.toUpperCase();
  if (!(SEVERITIES as readonly string[]).includes(severity)) {
    throw new UsageError(`--fail-on: "${text}" is not one of ${SEVERITIES.join(', ')}`);
  }
  return severity as Severity;
}

/** The package's version, from its package.json (two levels up from both functions/cli and dist/cli). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Adds the options every fleet-reading command shares. */
function withSources(command: Command, real: boolean): Command {
  command
    .option('--simulate <FLEET.json>', 'serve FLEET.json through the built-in EKS simulator instead of AWS')
    .option('--accounts <ID,ID>', 'member accounts (default: every ACTIVE account of the organization)')
    .option(
      '--organizational-units <ID,ID>',
      'the accounts under these roots (r-…) and OUs (ou-…), nested OUs included',
    )
    .option('--regions <R,R>', "regions (default: the fleet file's regions, or every default-enabled region)")
    .option('--role <NAME>', `role assumed in each member account (default: ${READ_ROLE_NAME})`)
    .option('--tag-prefix <PREFIX>', `prefix of the opt-in tags (default: ${DEFAULT_TAG_PREFIX})`)
    .option('--now <ISO>', 'fix the clock, e.g. 2026-11-22T12:00:00Z (reproducible output)');
  if (real) {
    command
      .option('--profile <NAME>', 'AWS shared-config profile for the credentials (real AWS only)')
      .option('--region <REGION>', 'region of the STS and Organizations calls (default: AWS_REGION, else us-east-1)')
      .option(
        '--owner-tags <KEY,KEY>',
        `tag keys naming a cluster's owner, first present wins (default: ${DEFAULT_OWNER_TAGS.join(',')})`,
      );
  }
  return command;
}

/** The raw result of commander: which command ran, its arguments and option values. */
interface Parsed {
  readonly command: CommandName;
  readonly args: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

/** The commander program: one sub-command per command, each with its own options and help. */
function buildProgram(sink: { out: string; parsed: Parsed | null }): Command {
  const program = new Command('fleet-auditor')
    .usage('<command> [options]')
    .description('Audits every Amazon EKS cluster across accounts and regions, and upgrades opted-in clusters safely.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => (sink.out += text),
      writeErr: () => undefined,
      outputError: () => undefined,
    })
    .showSuggestionAfterError(true)
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .version(packageVersion(), '-V, --version', 'print the version')
    .addHelpText('after', '\nRun `fleet-auditor <command> --help` for the options of a command.\n');
  const done =
    (command: CommandName) =>
    (...args: unknown[]): void => {
      const self = args.at(-1) as Command;
      sink.parsed = { command, args: self.args, values: self.opts() };
    };
  const output = (command: Command, formats: readonly Format[], out: boolean): Command => {
    command.option('-o, --format <FORMAT>', `${formats.join(' | ')} (default: table)`);
    if (out) command.option('--out <FILE>', 'write to FILE instead of standard output');
    return command;
  };
  const failOn = (command: Command): Command =>
    command.option(
      '--fail-on <SEVERITY>',
      `exit 3 when some cluster is at or above SEVERITY (${SEVERITIES.join(', ')})`,
    );

  const audit = program.command('audit').description(COMMAND_SUMMARIES.audit).allowExcessArguments(true);
  failOn(output(withSources(audit, true), FORMATS, true)).action(done('audit'));
  const plan = program.command('plan').description(COMMAND_SUMMARIES.plan).allowExcessArguments(true);
  failOn(output(withSources(plan, true), ['table', 'json'], true)).action(done('plan'));
  const upgrade = program
    .command('upgrade')
    .usage('CLUSTER --dry-run [options]')
    .description(COMMAND_SUMMARIES.upgrade)
    .allowExcessArguments(true)
    .option('--dry-run', 'print the calls, change nothing (upgrades run only in the nightly pipeline)');
  output(withSources(upgrade, true), ['table', 'json'], true).action(done('upgrade'));
  const rollback = program
    .command('rollback')
    .usage('CLUSTER [VERSION] [--dry-run] [options]')
    .description(COMMAND_SUMMARIES.rollback)
    .allowExcessArguments(true)
    .option('--dry-run', 'check every prerequisite and print the calls, change nothing');
  output(withSources(rollback, true), ['table', 'json'], true).action(done('rollback'));
  const blueGreen = program
    .command('blue-green')
    .usage('CLUSTER [--target 1.NN] [--format eksctl|json] [options]')
    .description(COMMAND_SUMMARIES['blue-green'])
    .allowExcessArguments(true)
    .option('--target <VERSION>', "the replacement's version (default: the cluster's upgrade target)");
  output(withSources(blueGreen, true), ['eksctl', 'json', 'table'], true).action(done('blue-green'));
  const nightly = program
    .command('nightly')
    .usage('--simulate FLEET.json --state DIR [options]')
    .description(COMMAND_SUMMARIES.nightly)
    .allowExcessArguments(true)
    .option('--state <DIR>', 'where the local DynamoDB, outbox.jsonl and fleet.json live (created if missing)')
    .option('--reset-state', 'move the local store (DIR/dynamodb) to DIR/backup-<time>/ and start with an empty one');
  withSources(nightly, false).action(done('nightly'));
  return program;
}

/** The command word of `argv` (the first argument that is not an option), for error messages. */
function commandWord(argv: readonly string[]): string | null {
  const word = argv.find((arg) => !arg.startsWith('-'));
  return word !== undefined && (COMMANDS as readonly string[]).includes(word) ? word : null;
}

/** One line from commander's message: `error: unknown option '--x'\n(Did you mean --y?)` → `unknown option '--x' (Did you mean --y?)`. */
function oneLine(error: CommanderError, argv: readonly string[]): string {
  const text = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  if (error.code === 'commander.unknownCommand') {
    const word = argv.find((arg) => !arg.startsWith('-')) ?? '';
    return `unknown command "${word}" (try --help)`;
  }
  const word = commandWord(argv);
  return word === null ? `${text} (try --help)` : `${word}: ${text} (see fleet-auditor ${word} --help)`;
}

const NO_ANSWER = { help: false, answer: null } as const;

/** Parses `argv` (without node and the script). Throws UsageError on unknown or misplaced flags or bad values. */
export function parseCli(argv: readonly string[]): CliOptions {
  const sink: { out: string; parsed: Parsed | null } = { out: '', parsed: null };
  const program = buildProgram(sink);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return answerOptions(sink.out, argv);
    throw new UsageError(oneLine(error, argv));
  }
  if (sink.parsed === null) throw new UsageError('no command given (try --help)');
  return fromParsed(sink.parsed);
}

/** The top-level help (what `fleet-auditor --help` prints). */
export function usageText(): string {
  const sink = { out: '', parsed: null };
  return buildProgram(sink).helpInformation();
}

function answerOptions(text: string, argv: readonly string[]): CliOptions {
  return { ...defaults(commandWord(argv) ?? ''), help: true, answer: text };
}

function defaults(command: string): CliOptions {
  return {
    command,
    positionals: [],
    simulate: null,
    accounts: null,
    organizationalUnits: null,
    regions: null,
    role: READ_ROLE_NAME,
    tagPrefix: DEFAULT_TAG_PREFIX,
    now: null,
    format: 'table',
    out: null,
    state: null,
    resetState: false,
    dryRun: false,
    target: null,
    profile: null,
    homeRegion: null,
    failOn: null,
    ownerTags: DEFAULT_OWNER_TAGS,
    ...NO_ANSWER,
  };
}

function fromParsed(parsed: Parsed): CliOptions {
  const { command, args, values } = parsed;
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const takesClusters = command === 'upgrade' || command === 'rollback' || command === 'blue-green';
  if (!takesClusters && args.length > 0) throw new UsageError(`${command}: unexpected argument "${args[0]}"`);
  const accounts = text('accounts') === undefined ? null : parseAccounts(text('accounts') ?? '');
  const units = text('organizationalUnits');
  const organizationalUnits = units === undefined ? null : parseOrganizationalUnits(units);
  if (accounts !== null && organizationalUnits !== null) {
    throw new UsageError('--accounts and --organizational-units cannot be combined');
  }
  const formats: readonly Format[] =
    command === 'audit' ? FORMATS : command === 'blue-green' ? ['eksctl', 'json', 'table'] : ['table', 'json'];
  const ownerTags = text('ownerTags') === undefined ? DEFAULT_OWNER_TAGS : list(text('ownerTags') ?? '');
  if (ownerTags.length === 0) throw new UsageError('--owner-tags: no tag key given');
  return {
    ...defaults(command),
    positionals: args,
    simulate: text('simulate') ?? null,
    accounts,
    organizationalUnits,
    regions: text('regions') === undefined ? null : parseRegions(text('regions') ?? ''),
    role: text('role') ?? READ_ROLE_NAME,
    tagPrefix: text('tagPrefix') ?? DEFAULT_TAG_PREFIX,
    now: text('now') === undefined ? null : parseNow(text('now') ?? ''),
    format: parseFormat(text('format'), command, formats),
    out: text('out') ?? null,
    state: text('state') ?? null,
    resetState: values['resetState'] === true,
    dryRun: values['dryRun'] === true,
    target: text('target') ?? null,
    profile: text('profile') ?? null,
    homeRegion: text('region') === undefined ? null : parseHomeRegion(text('region') ?? ''),
    failOn: parseFailOn(text('failOn')),
    ownerTags,
  };
}
