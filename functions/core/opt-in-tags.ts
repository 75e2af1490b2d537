/**
 * Opt-in tags (DESIGN §4): the desired state a cluster's owner writes on the cluster, read leniently — a bad tag
 * never throws; it becomes an `InvalidTag` (and so a finding and an `INVALID_OPT_IN_TAG` blocker) and its field keeps
 * the safe default.
 *
 * Decisions where the design is silent:
 * - Values are read exactly as written, as IAM compares them (the upgrade role's `aws:ResourceTag` conditions use
 *   `StringEquals`): no trimming, case-sensitive. `auto-upgrade` is `true` or `false`, `target-version: latest` is
 *   lower case; `" true"`, `TRUE` or `Latest` are invalid, with a reason that names what to write instead.
 * - `rollout-group` is 1–63 characters of letters, digits, `.`, `_` and `-` (a label, so it prints and sorts
 *   cleanly in `plan` and the report); default `default`.
 * - `wave` must be written canonically: `"01"` is rejected (with a hint to write `1`), as are `"-1"`, `"1.5"`, `"+1"`.
 * - `freeze-until` is a UTC calendar date `YYYY-MM-DD` only; a full instant is rejected, because truncating it to
 *   its day would lift the freeze earlier than written, and deadlines are whole UTC days everywhere else.
 * - Key matching: a key whose prefix matches case-insensitively is ours. Keys are case-sensitive (as in AWS), so
 *   `Fleet-Auditor/auto-upgrade` or `fleet-auditor/Wave` are reported as unknown, with the key that was meant.
 */
import { parseBake, parseHealthAlarms } from './bake.ts';
import { isIsoDate } from './calendar.ts';
import { InvalidMaintenanceWindowError, parseMaintenanceWindow, type MaintenanceWindow } from './maintenance-window.ts';
import type { Finding, IsoDate, Version } from './types.ts';
import { isVersion } from './versions.ts';
import { parseStrategyTag, type StrategyChoice } from './strategy.ts';
import { DEFAULT_ROLLOUT_GROUP, DEFAULT_TAG_PREFIX } from './defaults.ts';

/** Tag names (after the prefix) the product reads. */
const OPT_IN_TAG_NAMES = [
  'auto-upgrade',
  'target-version',
  'maintenance-window',
  'wave',
  'freeze-until',
  'bake',
  'health-alarms',
  'strategy',
  'rollout-group',
] as const;

/** One of the tag names the product reads. */
type OptInTagName = (typeof OPT_IN_TAG_NAMES)[number];

/** A tag under the prefix that cannot be honoured, and why. */
interface InvalidTag {
  readonly key: string;
  readonly value: string;
  readonly reason: string;
}

/** A cluster's upgrade policy as its tags state it, with safe defaults for what is absent or invalid. */
export interface OptInPolicy {
  /** True only when `auto-upgrade` is exactly `true` (case-sensitive, untrimmed, as IAM compares it). */
  readonly autoUpgrade: boolean;
  /** A version, `latest`, or null when the tag is absent or invalid (the caller then uses the default target). */
  readonly target: Version | 'latest' | null;
  /** Null when absent or invalid: no window gates the start. */
  readonly window: MaintenanceWindow | null;
  /** 0 when absent or invalid. */
  readonly wave: number;
  /** Null when absent or invalid. */
  readonly freezeUntil: IsoDate | null;
  /** The `bake` tag in milliseconds; null when absent or invalid (the caller's default applies). */
  readonly bakeMs?: number | null;
  /** The `health-alarms` entries (names or `prefix*`); empty when absent or invalid. */
  readonly healthAlarms?: readonly string[];
  /** The `strategy` tag (DESIGN §7.2), parsed strictly; `auto` when absent or invalid. */
  readonly strategy?: StrategyChoice;
  /** The rollout group waves are ordered within; {@link DEFAULT_ROLLOUT_GROUP} when absent or invalid. */
  readonly rolloutGroup: string;
  /** Every tag under the prefix that could not be honoured; non-empty blocks automatic upgrades. */
  readonly invalid: readonly InvalidTag[];
}

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function fail<T>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

function parseAutoUpgrade(value: string): Parsed<boolean> {
  if (value === 'true') return ok(true);
  if (value === 'false') return ok(false);
  const lowered = value.toLowerCase();
  if (lowered === 'true' || lowered === 'false') {
    return fail(`values are case-sensitive, as IAM compares them: write "${lowered}"; automatic upgrades stay off`);
  }
  return fail('must be "true" or "false"; automatic upgrades stay off');
}

function parseTarget(value: string): Parsed<Version | 'latest'> {
  if (value === 'latest') return ok('latest');
  if (isVersion(value)) return ok(value);
  if (value.toLowerCase() === 'latest') return fail('values are case-sensitive: write "latest"');
  return fail('must be a Kubernetes minor version such as "1.33", or "latest"');
}

const ROLLOUT_GROUP = /^[A-Za-z0-9._-]{1,63}$/;

function parseRolloutGroup(value: string): Parsed<string> {
  if (ROLLOUT_GROUP.test(value)) return ok(value);
  if (value.length > 63) return fail(`must be at most 63 characters (this one has ${value.length})`);
  return fail('must be 1–63 letters, digits, ".", "_" or "-", such as "payments" or "team-a.prod"');
}

/** Why a value with surrounding whitespace is rejected, or null when it has none. */
function surroundingSpaceReason(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === value) return null;
  return `has leading or trailing spaces; IAM compares tag values exactly (no trimming), so write ${JSON.stringify(trimmed)}`;
}

function parseWindow(value: string): Parsed<MaintenanceWindow> {
  try {
    return ok(parseMaintenanceWindow(value));
  } catch (error) {
    if (error instanceof InvalidMaintenanceWindowError) return fail(error.problem);
    throw error;
  }
}

function parseWave(value: string): Parsed<number> {
  if (/^0\d+$/.test(value)) return fail(`must be written without leading zeros (write "${Number(value)}")`);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    return fail('must be a whole number ≥ 0, such as 0, 1 or 2');
  }
  return ok(Number(value));
}

function parseFreezeUntil(value: string): Parsed<IsoDate> {
  if (isIsoDate(value)) return ok(value);
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return fail('must be a date YYYY-MM-DD (UTC), not an instant');
  return fail('must be a real date written YYYY-MM-DD, such as 2026-12-31');
}

function editDistance(a: string, b: string): number {
  // Levenshtein, one row at a time: `diagonal`, `up` and `left` are the three neighbours of the cell computed.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let left = b.length;
  for (const [i, letter] of [...a].entries()) {
    let diagonal = i;
    left = i + 1;
    const current = [left];
    for (const [j, up] of previous.slice(1).entries()) {
      left = Math.min(up + 1, left + 1, diagonal + (letter === b[j] ? 0 : 1));
      current.push(left);
      diagonal = up;
    }
    previous = current;
  }
  return left;
}

function unknownKeyReason(name: string, prefix: string): string {
  const lowered = name.toLowerCase();
  const sameButCase = OPT_IN_TAG_NAMES.find((known) => known === lowered);
  if (sameButCase !== undefined) return `unknown tag key; keys are case-sensitive, write ${prefix}${sameButCase}`;
  const meant = OPT_IN_TAG_NAMES.find((known) => editDistance(known, lowered) <= 2);
  if (meant !== undefined) return `unknown tag key; did you mean ${prefix}${meant}?`;
  return `unknown tag key; known keys are ${OPT_IN_TAG_NAMES.map((known) => `${prefix}${known}`).join(', ')}`;
}

/**
 * Reads a cluster's opt-in policy from its tags. Never throws: every tag under `prefix` that is unknown or has a
 * bad value is listed in `invalid`, and its field keeps the safe default (`autoUpgrade` false, others absent/0).
 *
 * @example parseOptInTags({ 'fleet-auditor/auto-upgrade': 'true', 'fleet-auditor/wave': '1' }) // autoUpgrade, wave 1
 */
export function parseOptInTags(
  tags: Readonly<Record<string, string>>,
  prefix: string = DEFAULT_TAG_PREFIX,
): OptInPolicy {
  let autoUpgrade = false;
  let target: Version | 'latest' | null = null;
  let window: MaintenanceWindow | null = null;
  let wave = 0;
  let freezeUntil: IsoDate | null = null;
  let bakeMs: number | null = null;
  let healthAlarms: readonly string[] = [];
  let strategy: StrategyChoice = 'auto';
  let rolloutGroup = DEFAULT_ROLLOUT_GROUP;
  const invalid: InvalidTag[] = [];
  const loweredPrefix = prefix.toLowerCase();

  const entries = Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [key, rawValue] of entries) {
    if (!key.toLowerCase().startsWith(loweredPrefix)) continue;
    const value = rawValue;
    const name = key.slice(prefix.length);
    const reject = (reason: string): void => {
      invalid.push({ key, value: rawValue, reason });
    };
    if (!key.startsWith(prefix) || !(OPT_IN_TAG_NAMES as readonly string[]).includes(name)) {
      reject(unknownKeyReason(name, prefix));
      continue;
    }
    const spaced = surroundingSpaceReason(value);
    if (spaced !== null) {
      reject(spaced);
      continue;
    }
    switch (name as OptInTagName) {
      case 'auto-upgrade': {
        const parsed = parseAutoUpgrade(value);
        if (parsed.ok) autoUpgrade = parsed.value;
        else reject(parsed.reason);
        break;
      }
      case 'target-version': {
        const parsed = parseTarget(value);
        if (parsed.ok) target = parsed.value;
        else reject(parsed.reason);
        break;
      }
      case 'maintenance-window': {
        const parsed = parseWindow(value);
        if (parsed.ok) window = parsed.value;
        else reject(parsed.reason);
        break;
      }
      case 'wave': {
        const parsed = parseWave(value);
        if (parsed.ok) wave = parsed.value;
        else reject(parsed.reason);
        break;
      }
      case 'freeze-until': {
        const parsed = parseFreezeUntil(value);
        if (parsed.ok) freezeUntil = parsed.value;
        else reject(parsed.reason);
        break;
      }
      case 'bake': {
        // Strict: the raw value, untrimmed (DESIGN §4).
        const parsed = parseBake(rawValue);
        if (parsed.ok) bakeMs = parsed.value;
        else reject(parsed.reason);
        break;
      }
      case 'health-alarms': {
        const parsed = parseHealthAlarms(rawValue);
        if (parsed.ok) healthAlarms = parsed.value;
        else reject(parsed.reason);
        break;
      }
      case 'strategy': {
        const parsed = parseStrategyTag(rawValue);
        if (parsed.ok) strategy = parsed.value;
        else reject(parsed.reason);
        break;
      }
      case 'rollout-group': {
        const parsed = parseRolloutGroup(value);
        if (parsed.ok) rolloutGroup = parsed.value;
        else reject(parsed.reason);
        break;
      }
    }
  }
  return {
    autoUpgrade,
    target,
    window,
    wave,
    freezeUntil,
    strategy,
    rolloutGroup,
    ...(bakeMs === null ? {} : { bakeMs }),
    ...(healthAlarms.length === 0 ? {} : { healthAlarms }),
    invalid,
  };
}

/** Describes one invalid tag in a sentence that names its key, its value and what is wrong. */
export function describeInvalidTag(tag: InvalidTag): string {
  return `tag ${tag.key}=${JSON.stringify(tag.value)} is invalid: ${tag.reason}`;
}

/**
 * One `INVALID_OPT_IN_TAG` finding (WARNING) per invalid tag, so owners see their typo in the report and the
 * digest instead of wondering why nothing upgrades.
 */
export function optInFindings(policy: OptInPolicy): Finding[] {
  return policy.invalid.map((tag) => ({
    code: 'INVALID_OPT_IN_TAG',
    severity: 'WARNING',
    message: `${describeInvalidTag(tag)}; automatic upgrades are blocked until it is fixed`,
  }));
}
