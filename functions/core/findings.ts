/**
 * The lifecycle findings of one cluster (DESIGN §4 finding codes, all but INVALID_OPT_IN_TAG, which the opt-in tag
 * parser emits): support phase and deadline, extended-support billing, node-group skew, add-on compatibility,
 * upgrade insights, custom AMIs and cluster status. Findings come out grouped by subject, in this order: cluster
 * status, version and deadline, node groups, add-ons, insights.
 *
 * Severity of each finding code:
 * - VERSION_UNSUPPORTED: EXPIRED (past end of extended support, not in the calendar, or not a version at all);
 *   WARNING when the version is newer than every calendar row (the calendar is stale, not the cluster).
 * - AUTO_UPGRADE_SCHEDULED: EXPIRED (the AUTO_UPGRADE deadline passed; AWS may upgrade at any time).
 * - EXTENDED_SUPPORT_BILLING: WARNING (money is being spent; nothing breaks).
 * - DEADLINE_APPROACHING: from the days remaining, CRITICAL ≤ 30, WARNING ≤ 90, NOTICE ≤ 180.
 * - NODEGROUP_SKEW_UNSUPPORTED, ADDON_INCOMPATIBLE: CRITICAL (the running cluster is outside what Kubernetes/EKS support).
 * - NODEGROUP_BEHIND_CONTROL_PLANE, ADDON_UPDATE_REQUIRED, CUSTOM_AMI_NODEGROUP, INSIGHT_ERROR: WARNING (each blocks
 *   or endangers the next upgrade, but the cluster runs fine today).
 * - INSIGHT_WARNING: NOTICE (affects a later minor, not the next one).
 * - CLUSTER_NOT_ACTIVE: CRITICAL when FAILED; NOTICE while CREATING, UPDATING, DELETING or PENDING (transient);
 *   WARNING for any other status.
 */
import { assessAddon, recommendedAddonVersion } from './addons.ts';
import { calendarEntry, supportStatusAt } from './calendar.ts';
import {
  computeDeadline,
  extendedSupportMonthlyUsd,
  formatDays,
  isBilledExtended,
  severityOf,
  EXTENDED_SUPPORT_EXTRA_USD_PER_HOUR,
} from './deadline.ts';
import { assessSkew } from './skew.ts';
import { compareVersions, isVersion, nextMinor, parseVersion } from './versions.ts';
import type {
  AddonCatalog,
  Calendar,
  CalendarEntry,
  ClusterState,
  Deadline,
  Finding,
  NodegroupState,
  Severity,
  SupportStatus,
  SupportType,
  Version,
} from './types.ts';

/** What lifecycle findings are judged against: the region's support calendar, the add-on catalog, and the clock. */
export interface ClusterFacts {
  calendar: Calendar;
  catalog: AddonCatalog;
  now: Date;
}

/** A cluster's support phase, deadline, severity and extended-support cost (the JSON report's cluster fields). */
interface LifecycleAssessment {
  readonly entry: CalendarEntry;
  readonly supportStatus: SupportStatus;
  readonly deadline: Deadline;
  readonly billedExtended: boolean;
  readonly severity: Severity;
  readonly extendedSupportMonthlyUsd: number;
}

/**
 * Support phase, effective deadline, severity and monthly extended-support cost of a cluster's version at `now`;
 * null when the calendar does not list the version (the cluster then gets a VERSION_UNSUPPORTED finding).
 */
export function assessLifecycle(
  cluster: { readonly version: Version; readonly supportType: SupportType },
  facts: { readonly calendar: Calendar; readonly now: Date },
): LifecycleAssessment | null {
  const entry = calendarEntry(facts.calendar, cluster.version);
  if (entry === undefined) return null;
  const supportStatus = supportStatusAt(entry, facts.now);
  const deadline = computeDeadline(entry, cluster.supportType, facts.now);
  const billedExtended = isBilledExtended(supportStatus, cluster.supportType);
  return {
    entry,
    supportStatus,
    deadline,
    billedExtended,
    severity: severityOf({ supportStatus, deadline, billedExtended }),
    extendedSupportMonthlyUsd: extendedSupportMonthlyUsd(billedExtended),
  };
}

const TRANSIENT_STATUSES: ReadonlySet<string> = new Set(['CREATING', 'UPDATING', 'DELETING', 'PENDING']);

function clusterStatusFindings(cluster: ClusterState): Finding[] {
  if (cluster.status === 'ACTIVE') return [];
  const severity: Severity =
    cluster.status === 'FAILED' ? 'CRITICAL' : TRANSIENT_STATUSES.has(cluster.status) ? 'NOTICE' : 'WARNING';
  return [
    {
      code: 'CLUSTER_NOT_ACTIVE',
      severity,
      message: `Cluster status is ${cluster.status}, not ACTIVE: no upgrade starts until it is ACTIVE again.`,
    },
  ];
}

function notInCalendarFinding(version: Version, calendar: Calendar): Finding {
  const known = calendar.map((entry) => entry.version).filter(isVersion);
  known.sort(compareVersions);
  const oldest = known[0];
  const newest = known[known.length - 1];
  if (newest !== undefined && compareVersions(version, newest) > 0) {
    return {
      code: 'VERSION_UNSUPPORTED',
      severity: 'WARNING',
      message: `Kubernetes ${version} is not in the EKS support calendar, whose newest version is ${newest}: the calendar is probably out of date, so this cluster's support dates are unknown.`,
    };
  }
  const range = oldest === undefined || newest === undefined ? 'which is empty' : `which lists ${oldest} to ${newest}`;
  return {
    code: 'VERSION_UNSUPPORTED',
    severity: 'EXPIRED',
    message: `Kubernetes ${version} is not in the EKS support calendar (${range}): treat it as unsupported; AWS may upgrade the control plane at any time.`,
  };
}

function deadlineFindings(cluster: ClusterState, lifecycle: LifecycleAssessment): Finding[] {
  const { entry, supportStatus, deadline, billedExtended } = lifecycle;
  const version = cluster.version;
  const next = nextMinor(version);
  const findings: Finding[] = [];
  if (supportStatus === 'UNSUPPORTED') {
    findings.push({
      code: 'VERSION_UNSUPPORTED',
      severity: 'EXPIRED',
      message: `Kubernetes ${version} reached end of extended support on ${entry.endOfExtendedSupport} and is no longer supported by EKS: upgrade to ${next} now.`,
    });
  }
  if (billedExtended) {
    findings.push({
      code: 'EXTENDED_SUPPORT_BILLING',
      severity: 'WARNING',
      message: `Kubernetes ${version} left standard support on ${entry.endOfStandardSupport}: the cluster is billed for extended support, $${lifecycle.extendedSupportMonthlyUsd}/month more than standard support ($${EXTENDED_SUPPORT_EXTRA_USD_PER_HOUR.toFixed(2)} per cluster-hour extra) until it is upgraded to ${next} or extended support ends on ${entry.endOfExtendedSupport}.`,
    });
  }
  const phaseEnd =
    deadline.consequence === 'EXTENDED_BILLING' || cluster.supportType === 'STANDARD' ? 'standard' : 'extended';
  if (deadline.consequence === 'AUTO_UPGRADE' && deadline.daysRemaining <= 0) {
    const when = deadline.daysRemaining === 0 ? 'today' : `${formatDays(-deadline.daysRemaining)} ago`;
    const policy = cluster.supportType === 'STANDARD' ? ' and the upgrade policy is STANDARD' : '';
    findings.push({
      code: 'AUTO_UPGRADE_SCHEDULED',
      severity: 'EXPIRED',
      message: `End of ${phaseEnd} support for Kubernetes ${version} was ${deadline.date} (${when})${policy}: AWS will upgrade the control plane to ${next} at any time, without notice. Upgrade it yourself now to choose the moment; AWS does not upgrade node groups or add-ons.`,
    });
  } else if (deadline.daysRemaining <= 180) {
    const consequence =
      deadline.consequence === 'EXTENDED_BILLING'
        ? `from then on the cluster is billed for extended support ($${extendedSupportMonthlyUsd(true)}/month extra) until it is upgraded`
        : `AWS will then upgrade the control plane to ${next} automatically, without notice`;
    findings.push({
      code: 'DEADLINE_APPROACHING',
      severity: severityOf({ supportStatus, deadline, billedExtended: false }),
      message: `Kubernetes ${version} reaches end of ${phaseEnd} support on ${deadline.date}, in ${formatDays(deadline.daysRemaining)}: ${consequence}.`,
    });
  }
  return findings;
}

function nodegroupFindings(controlPlane: Version, nodegroup: NodegroupState): Finding[] {
  const problem = !isVersion(nodegroup.version)
    ? 'it is not a MAJOR.MINOR version'
    : parseVersion(nodegroup.version).major !== parseVersion(controlPlane).major
      ? 'its major version differs'
      : null;
  if (problem !== null) {
    return [
      {
        code: 'NODEGROUP_SKEW_UNSUPPORTED',
        severity: 'CRITICAL',
        message: `Node group ${nodegroup.name} reports version ${JSON.stringify(nodegroup.version)}, which cannot be compared with the control plane's ${controlPlane}: ${problem}.`,
      },
    ];
  }
  const skew = assessSkew(controlPlane, nodegroup);
  if (!skew.supported) {
    const fix = skew.behind ? ` Update it to ${controlPlane}.` : '';
    return [{ code: 'NODEGROUP_SKEW_UNSUPPORTED', severity: 'CRITICAL', message: `${skew.reason}.${fix}` }];
  }
  if (skew.behind) {
    return [
      {
        code: 'NODEGROUP_BEHIND_CONTROL_PLANE',
        severity: 'WARNING',
        message: `${skew.reason}. EKS requires it at ${controlPlane} before the next control-plane upgrade.`,
      },
    ];
  }
  return [];
}

function customAmiFindings(nodegroup: NodegroupState): Finding[] {
  if (!nodegroup.customAmi) return [];
  return [
    {
      code: 'CUSTOM_AMI_NODEGROUP',
      severity: 'WARNING',
      message: `Node group ${nodegroup.name} (${nodegroup.version}) runs a custom AMI from its launch template: EKS cannot move it by version, so it blocks automatic upgrades. Roll its launch template to an AMI for the new version yourself.`,
    },
  ];
}

function addonFindings(cluster: ClusterState, facts: ClusterFacts): Finding[] {
  const version = cluster.version;
  const next = nextMinor(version);
  // No next version yet (the cluster runs the newest): nothing can be compatible with it, and nothing needs to be.
  const nextExists = calendarEntry(facts.calendar, next) !== undefined;
  const findings: Finding[] = [];
  for (const addon of cluster.addons) {
    const assessment = assessAddon(addon, version, facts.catalog);
    const subject = `Add-on ${addon.name} ${addon.version}`;
    if (!assessment.compatible) {
      const recommended = recommendedAddonVersion(addon.name, version, facts.catalog);
      const fix =
        recommended === null
          ? `the catalog lists no version of ${addon.name} for ${version}`
          : `update it to ${recommended}`;
      findings.push({
        code: 'ADDON_INCOMPATIBLE',
        severity: 'CRITICAL',
        message: `${subject} is not listed as compatible with Kubernetes ${version}: ${fix}.`,
      });
    } else if (!assessment.compatibleWithNext && nextExists) {
      const fix =
        assessment.recommendedForNext === null
          ? `the catalog lists no version of ${addon.name} for ${next} yet, which blocks the upgrade`
          : `update it to ${assessment.recommendedForNext} with the upgrade to ${next}`;
      findings.push({
        code: 'ADDON_UPDATE_REQUIRED',
        severity: 'WARNING',
        message: `${subject} is not compatible with Kubernetes ${next}, the next minor version: ${fix}.`,
      });
    }
  }
  return findings;
}

function insightFindings(cluster: ClusterState): Finding[] {
  const findings: Finding[] = [];
  for (const insight of cluster.insights) {
    if (insight.status !== 'ERROR' && insight.status !== 'WARNING') continue;
    const target =
      insight.kubernetesVersion === null
        ? 'an upcoming upgrade'
        : `the upgrade to Kubernetes ${insight.kubernetesVersion}`;
    const reason = insight.reason === null ? 'EKS gives no reason' : insight.reason;
    findings.push(
      insight.status === 'ERROR'
        ? {
            code: 'INSIGHT_ERROR',
            severity: 'WARNING',
            message: `Upgrade insight "${insight.name}" is ERROR for ${target}: ${reason}. Resolve it before upgrading.`,
          }
        : {
            code: 'INSIGHT_WARNING',
            severity: 'NOTICE',
            message: `Upgrade insight "${insight.name}" is WARNING for ${target}: ${reason}.`,
          },
    );
  }
  return findings;
}

/**
 * Every lifecycle finding of one cluster at `facts.now`, each with its own severity (see the module comment) and a
 * message naming the node group, add-on or insight and the versions involved. Never throws on odd inventory data:
 * a malformed cluster or node-group version becomes a finding instead.
 */
export function lifecycleFindings(cluster: ClusterState, facts: ClusterFacts): Finding[] {
  const findings: Finding[] = [...clusterStatusFindings(cluster)];
  const valid = isVersion(cluster.version);
  if (!valid) {
    findings.push({
      code: 'VERSION_UNSUPPORTED',
      severity: 'EXPIRED',
      message: `Cluster version ${JSON.stringify(cluster.version)} is not a Kubernetes MAJOR.MINOR version, so its support cannot be judged.`,
    });
  } else {
    const lifecycle = assessLifecycle(cluster, facts);
    findings.push(
      ...(lifecycle === null
        ? [notInCalendarFinding(cluster.version, facts.calendar)]
        : deadlineFindings(cluster, lifecycle)),
    );
  }
  for (const nodegroup of cluster.nodegroups) {
    if (valid) findings.push(...nodegroupFindings(cluster.version, nodegroup));
    findings.push(...customAmiFindings(nodegroup));
  }
  if (valid) findings.push(...addonFindings(cluster, facts));
  findings.push(...insightFindings(cluster));
  return findings;
}
