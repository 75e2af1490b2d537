/**
 * Kubernetes minor versions as EKS names them (`"1.31"`). Versions are compared numerically, never as strings:
 * `"1.9"` < `"1.10"`. Control-plane upgrades go one minor at a time, so planning is a matter of counting minors.
 */
import { InvalidVersionError } from './errors.ts';
import type { Version } from './types.ts';

/** A parsed `MAJOR.MINOR` version. */
interface ParsedVersion {
  readonly major: number;
  readonly minor: number;
}

const VERSION_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

function matchVersion(text: string): ParsedVersion | null {
  const match = VERSION_PATTERN.exec(text);
  if (match === null) return null;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  // Beyond 2^53 the numbers would silently round and two different strings would compare equal.
  if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor)) return null;
  return { major, minor };
}

/**
 * Whether `text` is exactly `MAJOR.MINOR`: non-negative integers without leading zeros (except `0` itself), no
 * spaces, no `v` prefix, no patch. Use it to validate tags and API data without catching exceptions.
 *
 * @example isVersion('1.31') // true; isVersion('1.31.2'), isVersion('v1.31'), isVersion('01.31') // false
 */
export function isVersion(text: string): boolean {
  return matchVersion(text) !== null;
}

/**
 * Parses `MAJOR.MINOR` into numbers, so versions can be compared and stepped numerically.
 *
 * @throws InvalidVersionError naming the bad value (`"1.31.2"`, `"v1.31"`, `"1.x"`, `""`, `"latest"` are all invalid).
 */
export function parseVersion(text: string): { major: number; minor: number } {
  const parsed = matchVersion(text);
  if (parsed === null) {
    throw new InvalidVersionError(
      `${JSON.stringify(text)} is not a Kubernetes minor version: expected MAJOR.MINOR such as "1.31"`,
    );
  }
  return { major: parsed.major, minor: parsed.minor };
}

/**
 * Orders two versions numerically by (major, minor): negative when `a` is older, 0 when equal, positive when newer.
 * Suitable for `Array.prototype.sort`.
 *
 * @throws InvalidVersionError when either is not `MAJOR.MINOR`.
 */
export function compareVersions(a: Version, b: Version): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  if (left.major !== right.major) return left.major < right.major ? -1 : 1;
  if (left.minor !== right.minor) return left.minor < right.minor ? -1 : 1;
  return 0;
}

/**
 * The next minor version, the only version EKS lets a control plane upgrade to.
 *
 * @example nextMinor('1.9') // '1.10'
 */
export function nextMinor(v: Version): Version {
  const { major, minor } = parseVersion(v);
  return `${major}.${minor + 1}`;
}

/**
 * How many minors `to` is ahead of `from` (negative when behind). Only defined within one major version: minors of
 * different majors cannot be counted.
 *
 * @throws InvalidVersionError when either is invalid or their majors differ.
 */
export function minorsBetween(from: Version, to: Version): number {
  const start = parseVersion(from);
  const end = parseVersion(to);
  if (start.major !== end.major) {
    throw new InvalidVersionError(
      `cannot count minor versions between ${from} and ${to}: they have different major versions`,
    );
  }
  return end.minor - start.minor;
}

/**
 * Every minor version a control plane passes through from `from` to `to`: each minor after `from`, up to and
 * including `to` (EKS upgrades one minor at a time). Empty when they are equal.
 *
 * @example upgradePath('1.29', '1.32') // ['1.30', '1.31', '1.32']
 * @throws InvalidVersionError when `to` is older than `from` (EKS cannot downgrade), either is invalid, or the
 *   majors differ.
 */
export function upgradePath(from: Version, to: Version): Version[] {
  const start = parseVersion(from);
  const end = parseVersion(to);
  if (compareVersions(to, from) < 0) {
    throw new InvalidVersionError(
      `cannot upgrade from ${from} to ${to}: ${to} is older, and a downgrade is impossible`,
    );
  }
  if (start.major !== end.major) {
    throw new InvalidVersionError(`cannot plan an upgrade from ${from} to ${to} across major versions`);
  }
  const path: Version[] = [];
  for (let minor = start.minor + 1; minor <= end.minor; minor += 1) {
    path.push(`${start.major}.${minor}`);
  }
  return path;
}
