/**
 * The bad-signal rule of a bake (DESIGN §7.1): during the bake of a new control-plane minor, any of these is a bad
 * signal that triggers an automatic rollback —
 * 1. a CloudWatch alarm watched by the `health-alarms` tag in ALARM;
 * 2. a cluster health issue (`DescribeCluster` `health.issues`);
 * 3. an UPGRADE_READINESS or MISCONFIGURATION insight that turned ERROR since the bake started;
 * 4. a managed node group or add-on DEGRADED.
 * A fact that could not be read, or a watched alarm name that matches no alarm, makes the verdict UNKNOWN: the bake
 * neither rolls back nor moves on (never act on a guess). The first bad signal found, in the order above, is named.
 */
import { alarmWatched } from './bake.ts';

/** The observed state of one CloudWatch alarm. */
export interface AlarmFact {
  readonly name: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
}

/** An insight as the health rule needs it. */
export interface InsightFact {
  readonly name: string;
  readonly category: string;
  readonly status: string;
}

/** Everything one health check reads; null for a fact that could not be read. */
export interface HealthFacts {
  /** The `health-alarms` entries (names or `prefix*`); empty when the tag is absent. */
  readonly watched: readonly string[];
  /** The alarms DescribeAlarms returned for the watched entries. */
  readonly alarms: readonly AlarmFact[] | null;
  readonly healthIssues: readonly { readonly code: string; readonly message: string }[] | null;
  readonly insights: readonly InsightFact[] | null;
  /** Names of the insights already in ERROR when the bake started (they are not news). */
  readonly baselineInsightErrors: readonly string[];
  readonly nodegroups: readonly { readonly name: string; readonly status: string }[] | null;
  readonly addons: readonly { readonly name: string; readonly status: string }[] | null;
}

type HealthCode =
  | 'HEALTHY'
  | 'HEALTH_ALARM'
  | 'CLUSTER_HEALTH_ISSUE'
  | 'INSIGHT_TURNED_ERROR'
  | 'NODEGROUP_DEGRADED'
  | 'ADDON_DEGRADED'
  | 'HEALTH_UNKNOWN';

/** The verdict of one health check, with its code and a reason that names the signal. */
export interface HealthVerdict {
  readonly verdict: 'HEALTHY' | 'BAD' | 'UNKNOWN';
  readonly code: HealthCode;
  readonly reason: string;
}

const WATCHED_CATEGORIES = new Set(['UPGRADE_READINESS', 'MISCONFIGURATION']);

function bad(code: HealthCode, reason: string): HealthVerdict {
  return { verdict: 'BAD', code, reason };
}

/**
 * Judges one health check of a bake.
 *
 * @example judgeHealth({ watched: ['web-5xx'], alarms: [{ name: 'web-5xx', state: 'ALARM' }], … })
 *   // { verdict: 'BAD', code: 'HEALTH_ALARM', reason: 'alarm web-5xx is in ALARM' }
 */
export function judgeHealth(facts: HealthFacts): HealthVerdict {
  const unknown: string[] = [];
  if (facts.watched.length > 0) {
    if (facts.alarms === null) unknown.push('the health alarms could not be read (DescribeAlarms)');
    else {
      const firing = facts.alarms.filter(
        (alarm) => alarm.state === 'ALARM' && facts.watched.some((pattern) => alarmWatched(pattern, alarm.name)),
      );
      if (firing.length > 0) {
        const names = firing.map((alarm) => alarm.name).join(', ');
        return bad('HEALTH_ALARM', `alarm${firing.length > 1 ? 's' : ''} ${names} in ALARM`);
      }
      const alarms = facts.alarms;
      const missing = facts.watched.filter((pattern) => !alarms.some((alarm) => alarmWatched(pattern, alarm.name)));
      if (missing.length > 0) unknown.push(`no alarm matches the health-alarms entry ${missing.join(', ')}`);
    }
  }
  if (facts.healthIssues === null) unknown.push('the cluster health could not be read (DescribeCluster)');
  else {
    const [issue, ...more] = facts.healthIssues;
    if (issue !== undefined) {
      const others = more.length > 0 ? ` (and ${more.length} more)` : '';
      return bad('CLUSTER_HEALTH_ISSUE', `cluster health issue ${issue.code}: ${issue.message}${others}`);
    }
  }
  if (facts.insights === null) unknown.push('the cluster insights could not be read (ListInsights)');
  else {
    const turned = facts.insights.filter(
      (insight) =>
        insight.status === 'ERROR' &&
        WATCHED_CATEGORIES.has(insight.category) &&
        !facts.baselineInsightErrors.includes(insight.name),
    );
    if (turned.length > 0) {
      return bad(
        'INSIGHT_TURNED_ERROR',
        `insight${turned.length > 1 ? 's' : ''} ${turned.map((i) => `"${i.name}"`).join(', ')} turned ERROR`,
      );
    }
  }
  if (facts.nodegroups === null) unknown.push('the node groups could not be read');
  else {
    const degraded = facts.nodegroups.filter((ng) => ng.status === 'DEGRADED');
    if (degraded.length > 0) {
      return bad('NODEGROUP_DEGRADED', `node group ${degraded.map((ng) => ng.name).join(', ')} DEGRADED`);
    }
  }
  if (facts.addons === null) unknown.push('the add-ons could not be read');
  else {
    const degraded = facts.addons.filter((addon) => addon.status === 'DEGRADED');
    if (degraded.length > 0) {
      return bad('ADDON_DEGRADED', `add-on ${degraded.map((addon) => addon.name).join(', ')} DEGRADED`);
    }
  }
  if (unknown.length > 0) return { verdict: 'UNKNOWN', code: 'HEALTH_UNKNOWN', reason: unknown.join('; ') };
  const watching =
    facts.watched.length === 0 ? 'no health-alarms tag' : `alarms ${facts.watched.join(', ')} not in ALARM`;
  return {
    verdict: 'HEALTHY',
    code: 'HEALTHY',
    reason: `${watching}; no health issue, no insight turned ERROR, nothing DEGRADED`,
  };
}
