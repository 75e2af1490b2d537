/**
 * Item mapping shared by every part of the fleet store: reading typed attributes back out of a stored item,
 * canonical instants (so stored instants compare correctly as strings), JSON-plain copies, and the report
 * fingerprint that decides whether a cluster's history gets a new entry. Pure: no SDK client here.
 */
import { createHash } from 'node:crypto';
import type { ClusterReport } from '../../core/report-types.ts';
import { StoreError, StoreValidationError } from './store-errors.ts';
import type { ItemKey } from './table-schema.ts';

/** One DynamoDB item as the document client reads and writes it. */
export type Item = Record<string, unknown>;

/**
 * Hash of the parts of a report that describe the cluster rather than the passing of time: the day count, the
 * next window start and the wording of findings and blockers (which may quote day counts) are left out, so an
 * unchanged cluster keeps its fingerprint from one night to the next and history is written on change only.
 */
export function reportFingerprint(report: ClusterReport): string {
  const stable = {
    ...report,
    deadline:
      report.deadline === null ? null : { date: report.deadline.date, consequence: report.deadline.consequence },
    findings: report.findings.map((f) => ({ code: f.code, severity: f.severity })),
    upgrade: {
      ...report.upgrade,
      nextWindowStart: undefined,
      blockers: report.upgrade.blockers.map((b) => b.code),
    },
  };
  return createHash('sha256').update(canonicalJson(stable)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Item)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Canonical ISO form of an instant, so stored instants compare correctly as strings.
 *
 * @throws StoreValidationError (operation `op`) when `value` is not an instant.
 */
export function isoInstant(op: string, field: string, value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new StoreValidationError(op, `${field} is not an ISO instant: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

/**
 * The ISO form of a `Date`, refusing an invalid one before it reaches a condition expression.
 *
 * @throws StoreValidationError (operation `op`) when `date` is invalid.
 */
export function instantOf(op: string, field: string, date: Date): string {
  if (Number.isNaN(date.getTime())) throw new StoreValidationError(op, `${field} is not a valid Date`);
  return date.toISOString();
}

/** Whole epoch seconds of an ISO instant, rounded down: the form the table's TTL attribute takes. */
export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** A JSON-plain copy (undefined fields dropped), whatever the client's marshalling options are. */
export function plain<T>(value: T): Item {
  return JSON.parse(JSON.stringify(value)) as Item;
}

/** The primary key of a stored item, to address it in a follow-up write. */
export function keyOf(item: Item): ItemKey {
  return { pk: str(item, 'pk'), sk: str(item, 'sk') };
}

/**
 * A string attribute that every item of its kind has.
 *
 * @throws StoreError when it is missing: the item was not written by this store.
 */
export function str(item: Item, field: string): string {
  const value = item[field];
  if (typeof value !== 'string') throw new StoreError('read', `item ${String(item['pk'])} has no string ${field}`);
  return value;
}

/** A string attribute that is present only while it applies, or null. */
export function optStr(item: Item, field: string): string | null {
  const value = item[field];
  return typeof value === 'string' ? value : null;
}

/**
 * A number attribute that every item of its kind has.
 *
 * @throws StoreError when it is missing: the item was not written by this store.
 */
export function num(item: Item, field: string): number {
  const value = item[field];
  if (typeof value !== 'number') throw new StoreError('read', `item ${String(item['pk'])} has no number ${field}`);
  return value;
}
