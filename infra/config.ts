/**
 * The deployment's configuration: typed, validated, and read from CDK context (`cdk.json` → `fleetAuditor`, with
 * per-field overrides `-c fleetAuditor.<path>=<value>` on the command line). A bad value fails the synth with a
 * message that names every bad field, before any construct is built.
 */
import type { Construct } from 'constructs';
import { z } from 'zod';
import { namespaceProblem } from '../functions/core/naming.ts';
import {
  DEFAULT_LOCK_TTL_SECONDS,
  DEFAULT_MAX_CONCURRENT_UPGRADES,
  DEFAULT_NAMESPACE,
  DEFAULT_SOAK_DAYS,
  DEFAULT_TAG_PREFIX,
} from '../functions/core/defaults.ts';

/** The context key that holds the configuration object. */
export const CONFIG_CONTEXT_KEY = 'fleetAuditor';

/** Retention periods (days) CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Which accounts the hub audits, and where the member roles go. */
export interface AccountsConfig {
  /**
   * Member accounts to audit. Empty: every ACTIVE account of the organization (the hub must then be the
   * Organizations management account or a delegated administrator).
   */
  readonly ids: readonly string[];
  /**
   * Organizational units (or the root, `r-xxxx`) the member-roles StackSet targets: service-managed, so accounts that
   * join them later get the roles too.
   */
  readonly organizationalUnitIds: readonly string[];
  /**
   * The organization (`o-…`) of the hub and the members. Required when `ids` is empty: the member roles then trust
   * the hub roles only with `aws:PrincipalOrgID` = this, and the hub assumes member roles only with
   * `aws:ResourceOrgID` = this. With an account list it is optional (and adds the same conditions when given).
   */
  readonly organizationId: string | null;
}

/** When the nightly audit runs (EventBridge Scheduler). */
export interface ScheduleConfig {
  /** `cron(...)` or `rate(...)` as EventBridge Scheduler reads it. */
  readonly expression: string;
  /** IANA zone the cron expression is read in. */
  readonly timeZone: string;
}

/** Numbers that tune the product's decisions. */
export interface ThresholdsConfig {
  /** Days every earlier wave must run a version before a later wave starts a hop to it. */
  readonly soakDays: number;
  /** Lease of an upgrade lock; DynamoDB removes an abandoned lock after it. */
  readonly lockTtlSeconds: number;
  /** Failed account-regions in one nightly run that raise the alarm. */
  readonly failedTargetsAlarm: number;
}

/** Where the member-roles StackSet is created (the management account or a delegated administrator). */
export interface MemberStackSetConfig {
  readonly accountId: string;
  readonly region: string;
  /** `DELEGATED_ADMIN` when `accountId` is a delegated administrator for CloudFormation StackSets. */
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
}

/** The whole deployment, as the stacks consume it. */
export interface FleetAuditorConfig {
  /** Prefix of every role, resource and stack name; one account can hold several namespaces. */
  readonly namespace: string;
  /** The hub account: the only account whose roles the member roles trust. */
  readonly hubAccountId: string;
  readonly hubRegion: string;
  readonly accounts: AccountsConfig;
  /** Regions audited in every member account; the upgrade role is scoped to them. */
  readonly regions: readonly string[];
  readonly schedule: ScheduleConfig;
  /** Subscribed (e-mail) to the alert topic; each must confirm the subscription. */
  readonly alertEmails: readonly string[];
  /** Prefix of the opt-in tags; the upgrade role's tag condition uses it. */
  readonly tagPrefix: string;
  readonly thresholds: ThresholdsConfig;
  /** Upgrades in flight at once across the fleet; 0 makes the deployment audit-only. */
  readonly maxConcurrentUpgrades: number;
  /** Retention of every log group the stacks create. */
  readonly logRetentionDays: (typeof LOG_RETENTION_DAYS)[number];
  /** Present: synthesize the StackSet that deploys the member roles to `accounts.organizationalUnitIds`. */
  readonly memberStackSet: MemberStackSetConfig | null;
}

/** Thrown when the configuration is not valid; the message names every bad field. */
export class ConfigError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[], options?: { cause?: unknown }) {
    super(`invalid fleetAuditor configuration:\n  - ${issues.join('\n  - ')}`, options);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** An organizational unit, or the organization root (a StackSet may target the root to reach every account). */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const OU_ID = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
/** Characters AWS allows in tag keys; `aws:` is reserved. */
const TAG_KEY_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;

/** A list written as a JSON array or, from the command line, as comma-separated text. */
function listOf<T extends z.ZodType>(item: T) {
  return z
    .unknown()
    .transform((value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part !== '')
        : value,
    )
    .pipe(z.array(item));
}

const integer = (min: number, max: number): z.ZodCoercedNumber<unknown> => z.coerce.number().int().min(min).max(max);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const schema = z
  .object({
    namespace: z
      .string()
      .default(DEFAULT_NAMESPACE)
      .superRefine((value, ctx) => {
        const problem = namespaceProblem(value);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
      }),
    hubAccountId: z.string().regex(ACCOUNT_ID, 'must be a 12-digit AWS account id'),
    hubRegion: z.string().regex(REGION, 'must be an AWS region name'),
    accounts: z
      .object({
        ids: listOf(z.string().regex(ACCOUNT_ID, 'must be 12-digit AWS account ids')).default([]),
        organizationalUnitIds: listOf(
          z.string().regex(OU_ID, 'must be Organizations OU or root ids (ou-xxxx-xxxxxxxx, r-xxxx)'),
        ).default([]),
        organizationId: z
          .string()
          .regex(ORGANIZATION_ID, 'must be an Organizations id (o-xxxxxxxxxx)')
          .nullable()
          .default(null),
      })
      .strict()
      .default({ ids: [], organizationalUnitIds: [], organizationId: null }),
    regions: listOf(z.string().regex(REGION, 'must be AWS region names')).refine((list) => list.length > 0, {
      message: 'must name at least one region',
    }),
    schedule: z
      .object({
        expression: z
          .string()
          .regex(/^(cron\([^)]+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/, 'must be cron(...) or rate(...)')
          .default('cron(0 2 * * ? *)'),
        timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone').default('UTC'),
      })
      .strict()
      .default({ expression: 'cron(0 2 * * ? *)', timeZone: 'UTC' }),
    alertEmails: listOf(z.email('must be e-mail addresses')).default([]),
    tagPrefix: z
      .string()
      .min(1)
      .max(100)
      .regex(TAG_KEY_CHARS, 'may hold only letters, digits, spaces and _ . : / = + - @')
      .refine((prefix) => !prefix.toLowerCase().startsWith('aws:'), 'must not start with the reserved aws:')
      .default(DEFAULT_TAG_PREFIX),
    thresholds: z
      .object({
        soakDays: integer(0, 365).default(DEFAULT_SOAK_DAYS),
        lockTtlSeconds: integer(60, 24 * 3600).default(DEFAULT_LOCK_TTL_SECONDS),
        failedTargetsAlarm: integer(1, 10_000).default(1),
      })
      .strict()
      .default({ soakDays: DEFAULT_SOAK_DAYS, lockTtlSeconds: DEFAULT_LOCK_TTL_SECONDS, failedTargetsAlarm: 1 }),
    maxConcurrentUpgrades: integer(0, 100).default(DEFAULT_MAX_CONCURRENT_UPGRADES),
    logRetentionDays: z.coerce
      .number()
      .refine(
        (days): days is (typeof LOG_RETENTION_DAYS)[number] => (LOG_RETENTION_DAYS as readonly number[]).includes(days),
        `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      )
      .default(90),
    memberStackSet: z
      .object({
        accountId: z.string().regex(ACCOUNT_ID, 'must be a 12-digit AWS account id'),
        region: z.string().regex(REGION, 'must be an AWS region name'),
        callAs: z.enum(['SELF', 'DELEGATED_ADMIN']).default('SELF'),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.accounts.ids.length === 0 && config.accounts.organizationId === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'organizationId'],
        message:
          'is required without accounts.ids: the member roles trust the hub only inside the organization (aws:PrincipalOrgID)',
      });
    }
    if (config.memberStackSet !== null && config.accounts.organizationalUnitIds.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['memberStackSet'],
        message: 'needs accounts.organizationalUnitIds: the StackSet deploys to organizational units',
      });
    }
  });

/**
 * Validates a raw configuration object (as written in `cdk.json`) and fills in the defaults.
 *
 * @throws ConfigError naming every invalid or unknown field.
 */
export function parseConfig(raw: unknown): FleetAuditorConfig {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const path = issue.path.length === 0 ? '(root)' : issue.path.join('.');
        return `${path}: ${issue.message}`;
      }),
    );
  }
  const config: FleetAuditorConfig = result.data;
  return config;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-copies `base` and sets `value` at the dotted `path`, creating objects on the way. */
function setPath(base: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = base;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = isRecord(next) ? { ...next } : {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

/** A `-c key=value` value: `null`, a JSON object or array, or text (which the schema coerces). */
function commandLineValue(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === 'null') return null;
  if (!text.startsWith('{') && !text.startsWith('[')) return value;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError([`${key}: is neither plain text nor valid JSON`], { cause: error });
  }
}

/**
 * The raw configuration from a context map: the `fleetAuditor` object (or its JSON text), then every
 * `fleetAuditor.<path>` key applied on top, so one field can be overridden from the command line.
 *
 * @example rawConfigFromContext({ fleetAuditor: {...}, 'fleetAuditor.regions': 'eu-west-1,us-east-1' })
 */
export function rawConfigFromContext(context: Readonly<Record<string, unknown>>): Record<string, unknown> {
  let base: unknown = context[CONFIG_CONTEXT_KEY] ?? {};
  if (typeof base === 'string') {
    try {
      base = JSON.parse(base) as unknown;
    } catch (error) {
      throw new ConfigError([`${CONFIG_CONTEXT_KEY}: is text that is not a JSON object`], { cause: error });
    }
  }
  if (!isRecord(base)) throw new ConfigError([`${CONFIG_CONTEXT_KEY}: must be an object`]);
  const raw: Record<string, unknown> = { ...base };
  const prefix = `${CONFIG_CONTEXT_KEY}.`;
  const overrides = Object.keys(context)
    .filter((key) => key.startsWith(prefix))
    .sort();
  for (const key of overrides) {
    setPath(raw, key.slice(prefix.length).split('.'), commandLineValue(key, context[key]));
  }
  return raw;
}

/** The validated configuration of the app that `scope` belongs to, from its CDK context. */
export function configFromContext(scope: Construct): FleetAuditorConfig {
  return parseConfig(rawConfigFromContext(scope.node.getAllContext()));
}
