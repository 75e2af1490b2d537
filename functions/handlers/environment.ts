/**
 * The Lambda handlers' configuration, read from the environment once per cold start and validated: a missing or
 * malformed variable fails at start-up with a message that names it.
 */
import { z } from 'zod';
import { READ_ROLE_NAME, UPGRADE_ROLE_NAME } from '../core/naming.ts';
import { ACCOUNT_ID_PATTERN, PARENT_ID_PATTERN, REGION_PATTERN } from '../core/identifiers.ts';
import { validationProblems } from '../core/validation-problems.ts';
import {
  DEFAULT_EKS_REQUEST_BURST,
  DEFAULT_EKS_REQUESTS_PER_SECOND,
  DEFAULT_LOCK_TTL_SECONDS,
  DEFAULT_MAX_CONCURRENT_UPGRADES,
  DEFAULT_SOAK_DAYS,
  DEFAULT_TAG_PREFIX,
} from '../core/defaults.ts';

const list = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

const schema = z.object({
  TABLE_NAME: z.string().min(1),
  TOPIC_ARN: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/, 'must be an SNS topic ARN'),
  /** Comma-separated regions to audit. */
  REGIONS: list.pipe(z.array(z.string().regex(REGION_PATTERN, 'must be AWS region names')).min(1)),
  /** Comma-separated member account ids; empty = every ACTIVE account of the organization. */
  ACCOUNTS: list.pipe(z.array(z.string().regex(ACCOUNT_ID_PATTERN, 'must be 12-digit account ids'))).default([]),
  /**
   * Comma-separated organization roots (`r-…`) and OUs (`ou-…`) whose accounts to audit, nested OUs included;
   * used when ACCOUNTS is empty. Empty = every ACTIVE account of the organization.
   */
  ORGANIZATIONAL_UNIT_IDS: list
    .pipe(z.array(z.string().regex(PARENT_ID_PATTERN, 'must be organization root ids (r-…) or OU ids (ou-…-…)')))
    .default([]),
  READ_ROLE_NAME: z.string().min(1).default(READ_ROLE_NAME),
  UPGRADE_ROLE_NAME: z.string().min(1).default(UPGRADE_ROLE_NAME),
  TAG_PREFIX: z.string().min(1).default(DEFAULT_TAG_PREFIX),
  SOAK_DAYS: z.coerce.number().int().min(0).default(DEFAULT_SOAK_DAYS),
  MAX_CONCURRENT_UPGRADES: z.coerce.number().int().min(0).default(DEFAULT_MAX_CONCURRENT_UPGRADES),
  LOCK_TTL_SECONDS: z.coerce.number().int().min(60).default(DEFAULT_LOCK_TTL_SECONDS),
  /** Set on the functions that start upgrades. */
  UPGRADE_STATE_MACHINE_ARN: z.string().optional(),
  /**
   * Client-side pacing of AuditAccountRegion's EKS requests per account-region (requests per second, 0 = off). Default 10
   * with a burst of 20, as `npm run bench` paces its audit (the CLI does not pace): it keeps one account-region's audit within EKS's throttling
   * bucket and leaves the member's own tooling its share, at the cost of ~1 s more for a busy account-region.
   */
  EKS_REQUESTS_PER_SECOND: z.coerce.number().min(0).default(DEFAULT_EKS_REQUESTS_PER_SECOND),
  EKS_REQUEST_BURST: z.coerce.number().int().min(1).default(DEFAULT_EKS_REQUEST_BURST),
  AWS_REGION: z.string().default('us-east-1'),
});

export type Environment = z.infer<typeof schema>;

/** Thrown at start-up when the environment is not what the stack configures. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

/** Validates `env` (default `process.env`); throws EnvironmentError naming every bad variable. */
export function readEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): Environment {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = validationProblems(result.error, '(environment)');
    throw new EnvironmentError(`invalid environment: ${problems.join('; ')}`);
  }
  return result.data;
}
