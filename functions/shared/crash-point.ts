/**
 * A test hook for crash-safety tests: `FLEET_AUDITOR_CRASH_AT=<point>[:<n>]` makes the process kill itself with
 * SIGKILL the n-th time (default the first) it reaches the named point, so a test can stop a real `nightly` run at
 * the worst moments (after the first outbox line, between a claim and its publish, mid-upgrade, mid-write…) and
 * check what the next run does. Unset, it does nothing.
 */

/** The named points where a test may kill the process. */
type CrashPoint =
  'outbox-line' | 'alert-claimed' | 'digest-claimed' | 'upgrade-started' | 'upgrade-step' | 'state-write';

const hits = new Map<string, number>();

/** Kills the process with SIGKILL when `FLEET_AUDITOR_CRASH_AT` names `point` and this is its n-th hit. */
export function crashPoint(point: CrashPoint): void {
  const wanted = process.env['FLEET_AUDITOR_CRASH_AT'];
  if (wanted === undefined || wanted === '') return;
  const [name, nth] = wanted.split(':');
  if (name !== point) return;
  const count = (hits.get(point) ?? 0) + 1;
  hits.set(point, count);
  if (count >= Number(nth ?? '1')) process.kill(process.pid, 'SIGKILL');
}
