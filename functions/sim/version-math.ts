/**
 * `MAJOR.MINOR` arithmetic for the simulator. The core has its own; the simulator keeps a private copy so that it
 * depends on the core only for the bundled calendar and the shared types.
 */

const VERSION_PATTERN = /^(\d+)\.(\d+)$/;

/** Whether `text` is a Kubernetes minor version written `MAJOR.MINOR` ("1.31"). */
export function isVersion(text: string): boolean {
  return VERSION_PATTERN.test(text);
}

function parts(version: string): [number, number] {
  const match = VERSION_PATTERN.exec(version);
  if (match === null) return [Number.NaN, Number.NaN];
  return [Number(match[1]), Number(match[2])];
}

/** Numeric comparison ("1.9" < "1.10"): negative, zero or positive like `Array.prototype.sort` wants. */
export function compareVersions(a: string, b: string): number {
  const [aMajor, aMinor] = parts(a);
  const [bMajor, bMinor] = parts(b);
  return aMajor === bMajor ? aMinor - bMinor : aMajor - bMajor;
}

/** The next minor version: EKS moves a control plane exactly one minor at a time. */
export function nextMinor(version: string): string {
  const [major, minor] = parts(version);
  return `${major}.${minor + 1}`;
}

/** The previous minor version ("1.33" for "1.34"), or null for `x.0`. */
export function previousMinor(version: string): string | null {
  const [major, minor] = parts(version);
  return minor >= 1 ? `${major}.${minor - 1}` : null;
}

/** The minor number of `version` (31 for "1.31"), for realistic version strings derived from it. */
export function minorOf(version: string): number {
  return parts(version)[1];
}

/** The `MAJOR.MINOR` a longer version string starts with ("1.31.7-20250505" → "1.31"), or null. */
export function minorPrefix(text: string): string | null {
  const match = /^(\d+\.\d+)(?:\.|-|$)/.exec(text);
  return match === null ? null : (match[1] ?? null);
}

/** Compares dotted version strings with an optional `v` prefix and `-suffix` ("v1.19.2-eksbuild.1"). */
export function compareSemver(a: string, b: string): number {
  const split = (text: string): number[] =>
    text
      .replace(/^v/, '')
      .split(/[.-]/)
      .map((part) => Number(part.replace(/\D/g, '')) || 0);
  const left = split(a);
  const right = split(b);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
