/**
 * Amazon CloudWatch DescribeAlarms over the fleet file's `alarms` of the caller's account and signed region, in the
 * protocol today's @aws-sdk/client-cloudwatch speaks: AWS JSON 1.0 (`X-Amz-Target:
 * GraniteServiceVersion20100801.DescribeAlarms`), query-compatible errors (`x-amzn-query-error: Code;Sender`).
 *
 * Fault `UNHEALTHY_AFTER_UPGRADE`: the alarms a cluster's `health-alarms` tag names (comma-separated, `prefix*`
 * allowed) report ALARM while its control plane runs a minor it was upgraded to in place.
 */
import { SimApiError } from './errors.ts';
import { jsonContentType, jsonSuccess, resolveJsonCall, type JsonOperation } from './json-protocol.ts';
import { paginate } from './pagination.ts';
import { advanceUpdates } from './updates.ts';
import type { ResolvedCall, ServiceContext, SimResponse } from './wire.ts';

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const CONTENT_TYPE = jsonContentType('1.0');

/** Query-protocol error codes of the CloudWatch exceptions the simulator raises. */
const QUERY_CODES: Readonly<Record<string, string>> = {
  InvalidParameterValueException: 'InvalidParameterValue',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
  InvalidNextToken: 'InvalidNextToken',
  ThrottlingException: 'Throttling',
  InternalServiceFault: 'InternalServiceError',
  ServiceUnavailableException: 'ServiceUnavailable',
};

/** A JSON 1.0 error with CloudWatch's query-compatible code header. */
export function json10Error(error: SimApiError, requestId: string): SimResponse {
  const queryCode = QUERY_CODES[error.code] ?? error.code;
  return {
    status: error.status,
    headers: {
      'content-type': CONTENT_TYPE,
      'x-amzn-requestid': requestId,
      'x-amzn-query-error': `${queryCode};${error.status >= 500 ? 'Receiver' : 'Sender'}`,
    },
    body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${error.code}`, message: error.message }),
  };
}

function invalidValue(message: string): SimApiError {
  return new SimApiError('InvalidParameterValueException', 400, message);
}

/** Whether an alarm name matches one entry of a `health-alarms` tag (`name` or `prefix*`). */
function alarmMatches(pattern: string, name: string): boolean {
  const trimmed = pattern.trim();
  if (trimmed === '') return false;
  return trimmed.endsWith('*') ? name.startsWith(trimmed.slice(0, -1)) : name === trimmed;
}

/** Alarm names the `UNHEALTHY_AFTER_UPGRADE` clusters of this account-region drive into ALARM, by pattern. */
function unhealthyPatterns(ctx: ServiceContext): string[] {
  const patterns: string[] = [];
  for (const cluster of ctx.state.clustersIn(ctx.principal.accountId, ctx.region)) {
    if (cluster.fault !== 'UNHEALTHY_AFTER_UPGRADE') continue;
    advanceUpdates(cluster, ctx.now.getTime());
    if (cluster.upgradedFrom === null) continue;
    for (const [key, value] of Object.entries(cluster.tags)) {
      if (key.endsWith('health-alarms')) patterns.push(...value.split(','));
    }
  }
  return patterns;
}

function stringList(value: unknown, key: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalidValue(`${key} must be a list of strings`);
  }
  return value as string[];
}

function describeAlarms(ctx: ServiceContext, body: Record<string, unknown>): SimResponse {
  const names = stringList(body.AlarmNames, 'AlarmNames');
  const prefix = typeof body.AlarmNamePrefix === 'string' ? body.AlarmNamePrefix : undefined;
  if (names !== undefined && names.length > 100) throw invalidValue('AlarmNames may list at most 100 names');
  if (names !== undefined && names.length > 0 && prefix !== undefined) {
    throw new SimApiError(
      'InvalidParameterCombinationException',
      400,
      'AlarmNames and AlarmNamePrefix cannot be specified together',
    );
  }
  const stateValue = body.StateValue;
  if (stateValue !== undefined && stateValue !== 'OK' && stateValue !== 'ALARM' && stateValue !== 'INSUFFICIENT_DATA') {
    throw invalidValue(`StateValue ${String(stateValue)} is not one of OK, ALARM, INSUFFICIENT_DATA`);
  }
  const types = stringList(body.AlarmTypes, 'AlarmTypes');
  const unhealthy = unhealthyPatterns(ctx);
  const nowSeconds = ctx.now.getTime() / 1000;
  const stored = ctx.state.alarms.get(`${ctx.principal.accountId}/${ctx.region}`) ?? [];
  const alarms = stored
    .map((alarm) => {
      const firing = unhealthy.some((pattern) => alarmMatches(pattern, alarm.name));
      const state = firing ? 'ALARM' : alarm.state;
      return {
        AlarmName: alarm.name,
        AlarmArn: `arn:aws:cloudwatch:${ctx.region}:${ctx.principal.accountId}:alarm:${alarm.name}`,
        ActionsEnabled: true,
        StateValue: state,
        StateReason: firing
          ? 'Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (5.0).'
          : `Simulated state ${state}.`,
        StateUpdatedTimestamp: nowSeconds,
        MetricName: 'HTTPCode_Target_5XX_Count',
        Namespace: 'AWS/ApplicationELB',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
      };
    })
    .filter(
      (alarm) =>
        (names === undefined || names.length === 0 || names.includes(alarm.AlarmName)) &&
        (prefix === undefined || alarm.AlarmName.startsWith(prefix)) &&
        (stateValue === undefined || alarm.StateValue === stateValue),
    );
  const metric = types === undefined || types.length === 0 || types.includes('MetricAlarm');
  const page = paginate(
    metric ? alarms : [],
    {
      maxResults: typeof body.MaxRecords === 'number' ? body.MaxRecords : undefined,
      nextToken: typeof body.NextToken === 'string' ? body.NextToken : undefined,
    },
    { pageSize: Math.min(ctx.pageSize, 50), limit: 100, invalid: invalidValue },
  );
  return jsonSuccess(
    '1.0',
    {
      MetricAlarms: page.items,
      CompositeAlarms: [],
      ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
    },
    ctx.requestId,
  );
}

const OPERATIONS: Readonly<Record<string, JsonOperation>> = {
  DescribeAlarms: describeAlarms,
};

/** Whether a request's `X-Amz-Target` is CloudWatch's. */
export function isCloudWatchTarget(target: string | undefined): boolean {
  return target?.startsWith(TARGET_PREFIX) === true;
}

/** Routes a CloudWatch request by its `X-Amz-Target`; null for an operation the simulator does not serve. */
export function resolveCloudWatchCall(target: string | undefined, rawBody: string): ResolvedCall | null {
  return resolveJsonCall(TARGET_PREFIX, OPERATIONS, target, rawBody);
}
