/**
 * Names shared by the hub and the member-account stacks, the CLI and the handlers, so that member roles trust
 * exactly the hub's role ARNs and every tool assumes the role the stacks created.
 *
 * Every name derives from one deployment namespace (default `fleet-auditor`); the constants below are the names of
 * the default namespace, kept for callers that do not deploy a second copy.
 */
import { DEFAULT_NAMESPACE } from './defaults.ts';

/** Role the hub assumes in each member account to read EKS (List/Describe only). */
export const READ_ROLE_NAME = 'fleet-auditor-read';

/** Role the upgrade workflow assumes in each member account (EKS updates, conditioned on the opt-in tag). */
export const UPGRADE_ROLE_NAME = 'fleet-auditor-upgrade';

/** The hub role (account-local name) that runs the audit and may assume READ_ROLE_NAME. */
export const HUB_AUDIT_ROLE_NAME = 'fleet-auditor-hub-audit';

/** The hub role that runs upgrade tasks and may assume UPGRADE_ROLE_NAME. */
export const HUB_UPGRADE_ROLE_NAME = 'fleet-auditor-hub-upgrade';

/** The four role names of one deployment: two in the hub account, two in every member account. */
interface RoleNames {
  /** Member role: EKS List/Describe only. */
  readonly read: string;
  /** Member role: EKS version updates of opted-in clusters. */
  readonly upgrade: string;
  /** Hub role of the audit functions; the only principal the member read role trusts. */
  readonly hubAudit: string;
  /** Hub role of the upgrade functions; the only principal the member upgrade role trusts. */
  readonly hubUpgrade: string;
}

/** Longest namespace whose longest derived role name (`<namespace>-hub-upgrade`) fits IAM's 64 characters. */
export const MAX_NAMESPACE_LENGTH = 40;

const NAMESPACE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Why `namespace` cannot name a deployment, or null when it can. Lower-case letters, digits and single hyphens,
 * starting with a letter, so that every derived IAM, DynamoDB, SNS and CloudFormation name is valid.
 */
export function namespaceProblem(namespace: string): string | null {
  if (namespace.length === 0) return 'must not be empty';
  if (namespace.length > MAX_NAMESPACE_LENGTH) return `must be at most ${MAX_NAMESPACE_LENGTH} characters`;
  if (!NAMESPACE.test(namespace)) {
    return 'must be lower-case letters, digits and single hyphens, starting with a letter (e.g. fleet-auditor)';
  }
  return null;
}

/**
 * The role names of the deployment `namespace`; the default namespace yields the constants above.
 *
 * @example roleNames('eks-audit').hubAudit // 'eks-audit-hub-audit'
 */
export function roleNames(namespace: string = DEFAULT_NAMESPACE): RoleNames {
  const problem = namespaceProblem(namespace);
  if (problem !== null) throw new RangeError(`namespace "${namespace}" ${problem}`);
  return {
    read: `${namespace}-read`,
    upgrade: `${namespace}-upgrade`,
    hubAudit: `${namespace}-hub-audit`,
    hubUpgrade: `${namespace}-hub-upgrade`,
  };
}

/** ARN of an IAM role by account and name. */
export function roleArn(accountId: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

const PARTITIONS: readonly [prefix: string, partition: string][] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['eusc-', 'aws-eusc'],
];

/** The AWS partition a region belongs to, for ARNs (`aws` for every commercial region). */
export function partitionOf(region: string): string {
  return PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}
