/**
 * Opt-in of a cluster's node groups and add-ons (DESIGN §4, `SUBRESOURCE_NOT_OPTED_IN`). EKS tags each resource
 * separately, and the member upgrade role allows `UpdateNodegroupVersion` / `UpdateAddon` only on a node group or
 * add-on that itself carries `<prefix>auto-upgrade` = `true` exactly. An opted-in cluster with an untagged node group
 * or add-on would have its control plane upgraded, then its node-group or add-on step denied: the audit names each
 * such resource with the command that tags it, and the upgrade never starts.
 *
 * Decision: the value is compared exactly, as IAM's `StringEquals` does (`" true"` or `TRUE` is not opted in). A
 * resource whose ARN the read did not return is named by kind and name, with a placeholder in the command.
 */
import type { ClusterState, Finding } from './types.ts';

/** A node group or add-on of an opted-in cluster that lacks the opt-in tag. */
interface UntaggedSubresource {
  readonly kind: 'node group' | 'add-on';
  readonly name: string;
  readonly arn: string | null;
  /** The value it carries instead, or null when the tag is absent. */
  readonly value: string | null;
}

/** The node groups and add-ons of `cluster` whose own `<prefix>auto-upgrade` tag is not exactly `true`. */
export function untaggedSubresources(cluster: ClusterState, prefix: string): UntaggedSubresource[] {
  const key = `${prefix}auto-upgrade`;
  const parts = [
    ...cluster.nodegroups.map((ng) => ({ kind: 'node group' as const, name: ng.name, arn: ng.arn, tags: ng.tags })),
    ...cluster.addons.map((addon) => ({ kind: 'add-on' as const, name: addon.name, arn: addon.arn, tags: addon.tags })),
  ];
  return parts.flatMap(({ kind, name, arn, tags }) => {
    const value = tags?.[key];
    if (value === 'true') return [];
    return [{ kind, name, arn: arn ?? null, value: value ?? null }];
  });
}

/** The exact command that opts one node group or add-on in. */
export function tagCommand(resource: UntaggedSubresource, prefix: string): string {
  const arn = resource.arn ?? `<${resource.kind === 'add-on' ? 'addon' : 'nodegroup'}-arn-of-${resource.name}>`;
  return `aws eks tag-resource --resource-arn ${arn} --tags ${prefix}auto-upgrade=true`;
}

function describe(resource: UntaggedSubresource, prefix: string): string {
  const has =
    resource.value === null
      ? `lacks the tag ${prefix}auto-upgrade`
      : `has ${prefix}auto-upgrade=${JSON.stringify(resource.value)}, not exactly "true"`;
  return `${resource.kind} ${resource.name} ${has}`;
}

/**
 * One `SUBRESOURCE_NOT_OPTED_IN` finding (WARNING) per untagged node group or add-on of an opted-in cluster, each
 * with the command that fixes it; none for a cluster that is not opted in.
 */
export function subresourceFindings(cluster: ClusterState, optedIn: boolean, prefix: string): Finding[] {
  if (!optedIn) return [];
  return untaggedSubresources(cluster, prefix).map((resource) => ({
    code: 'SUBRESOURCE_NOT_OPTED_IN',
    severity: 'WARNING',
    message:
      `${describe(resource, prefix)}; the upgrade role may not update it, so automatic upgrades are blocked. ` +
      `Fix: ${tagCommand(resource, prefix)}`,
  }));
}

/** The blocker message naming every untagged node group and add-on, or null when all carry the tag. */
export function subresourceBlockerMessage(cluster: ClusterState, prefix: string): string | null {
  const untagged = untaggedSubresources(cluster, prefix);
  if (untagged.length === 0) return null;
  const named = untagged.map((resource) => describe(resource, prefix)).join('; ');
  return `the upgrade role may update only node groups and add-ons tagged ${prefix}auto-upgrade=true: ${named}`;
}
