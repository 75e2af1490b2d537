/**
 * Identifiers in AWS's formats. Stable ones (hashes of a name) keep ARNs and insight ids identical across
 * simulator restarts, so a fleet file round-trips and tests can compare runs.
 */
import { createHash, randomUUID } from 'node:crypto';

/** A UUID-shaped id derived from `seed`: same seed, same id. */
export function stableUuid(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `length` lowercase hex characters derived from `seed`. */
export function stableHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** A fresh random UUID (update ids, request ids). */
export function newUuid(): string {
  return randomUUID();
}
