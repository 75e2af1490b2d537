/**
 * Names shared by the hub and the member-account stacks, the CLI and the handlers, so that member roles trust
 * exactly the hub's role ARNs and every tool assumes the role the stacks created.
 */

/** Role the hub assumes in each member account to read EKS (List/Describe only). */
export const READ_ROLE_NAME = 'fleet-auditor-read';

/** Role the upgrade workflow assumes in each member account (EKS updates, conditioned on the opt-in tag). */
export const UPGRADE_ROLE_NAME = 'fleet-auditor-upgrade';

/** The hub role (account-local name) that runs the audit and may assume READ_ROLE_NAME. */
export const HUB_AUDIT_ROLE_NAME = 'fleet-auditor-hub-audit';

/** The hub role that runs upgrade tasks and may assume UPGRADE_ROLE_NAME. */
export const HUB_UPGRADE_ROLE_NAME = 'fleet-auditor-hub-upgrade';

/** ARN of an IAM role by account and name. */
export function roleArn(accountId: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}
