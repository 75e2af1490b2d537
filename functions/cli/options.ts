/** Parses and validates the command line into typed options; any problem is a UsageError naming it. */
import { parseArgs } from 'node:util';
import { parseAccountList, parseOrganizationalUnitIds } from '../adapters/accounts.ts';
import { REGION_PATTERN as REGION } from '../core/identifiers.ts';
import { DEFAULT_TAG_PREFIX } from '../core/opt-in-tags.ts';
import { READ_ROLE_NAME } from '../core/naming.ts';
import { UsageError } from './usage.ts';

export const FORMATS = ['table', 'json', 'csv', 'html', 'eksctl'] as const;
export type Format = (typeof FORMATS)[number];

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
  readonly dryRun: boolean;
  /** blue-green: the replacement's version (null: the cluster's upgrade target). */
  readonly target: string | null;
  readonly help: boolean;
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

function parseRegions(text: string): string[] {
  const regions = text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  const bad = regions.filter((r) => !REGION.test(r));
  if (bad.length > 0 || regions.length === 0) {
    throw new UsageError(`--regions: not an AWS region name: ${bad.join(', ') || '(empty)'}`);
  }
  return [...new Set(regions)];
}

/** Parses `argv` (without node and the script). Throws UsageError on unknown flags or bad values. */
export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        simulate: { type: 'string' },
        accounts: { type: 'string' },
        'organizational-units': { type: 'string' },
        regions: { type: 'string' },
        role: { type: 'string' },
        'tag-prefix': { type: 'string' },
        now: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        state: { type: 'string' },
        'dry-run': { type: 'boolean' },
        target: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error));
  }
  const { values, positionals } = parsed;
  const format = values.format ?? 'table';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: "${format}" is not one of ${FORMATS.join(', ')}`);
  }
  let accounts = null;
  if (values.accounts !== undefined) {
    try {
      accounts = parseAccountList(values.accounts);
    } catch (error) {
      throw new UsageError(`--accounts: ${(error as Error).message}`);
    }
    if (accounts.length === 0) throw new UsageError('--accounts: no account id given');
  }
  let organizationalUnits = null;
  if (values['organizational-units'] !== undefined) {
    try {
      organizationalUnits = parseOrganizationalUnitIds(values['organizational-units']);
    } catch (error) {
      throw new UsageError(`--organizational-units: ${(error as Error).message}`);
    }
    if (organizationalUnits.length === 0) throw new UsageError('--organizational-units: no root or OU id given');
    if (accounts !== null) throw new UsageError('--accounts and --organizational-units cannot be combined');
  }
  return {
    command: positionals[0] ?? '',
    positionals: positionals.slice(1),
    simulate: values.simulate ?? null,
    accounts,
    organizationalUnits,
    regions: values.regions === undefined ? null : parseRegions(values.regions),
    role: values.role ?? READ_ROLE_NAME,
    tagPrefix: values['tag-prefix'] ?? DEFAULT_TAG_PREFIX,
    now: values.now === undefined ? null : parseNow(values.now),
    format: format as Format,
    out: values.out ?? null,
    state: values.state ?? null,
    dryRun: values['dry-run'] ?? false,
    target: values.target ?? null,
    help: values.help ?? false,
  };
}
