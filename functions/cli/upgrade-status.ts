/**
 * How a cluster's upgrade plan reads to a person. A cluster already at its target (the newest version in standard
 * support, or the version its tag asks for) is "up to date": `AT_TARGET` is a reason there is nothing to do, not a
 * blocker, so it is neither shown nor counted as one.
 */
import type { UpgradeReport } from '../core/report-types.ts';

/** True when the cluster runs its target version (or newer): there is nothing to upgrade to. */
export function isUpToDate(upgrade: Pick<UpgradeReport, 'blockers' | 'path' | 'target'>): boolean {
  return upgrade.path.length === 0 && upgrade.target !== null && upgrade.blockers.some((b) => b.code === 'AT_TARGET');
}

/** The blockers worth showing: none for an up-to-date cluster, and never `AT_TARGET`. */
export function shownBlockers(upgrade: UpgradeReport): UpgradeReport['blockers'] {
  return isUpToDate(upgrade) ? [] : upgrade.blockers.filter((b) => b.code !== 'AT_TARGET');
}
