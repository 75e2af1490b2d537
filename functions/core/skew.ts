/**
 * Version skew between a control plane and its managed node groups (DESIGN §3): a kubelet may be up to 3 minor
 * versions older than the API server (2 when the kubelet is older than 1.25) and never newer; before a
 * control-plane upgrade EKS requires every managed node group at the control plane's minor.
 */
import { compareVersions, minorsBetween } from './versions.ts';
import type { NodegroupState, Version } from './types.ts';

/** Machine-readable outcome of a skew assessment. */
type SkewCode = 'SKEW_NONE' | 'SKEW_BEHIND' | 'SKEW_TOO_FAR_BEHIND' | 'SKEW_AHEAD';

/** How a node group's kubelet version relates to its control plane, with the reason a platform engineer reads. */
interface SkewAssessment {
  /** Minors the node group is behind the control plane (negative when ahead). */
  readonly skew: number;
  readonly behind: boolean;
  /** Whether Kubernetes' version-skew policy allows this combination. */
  readonly supported: boolean;
  readonly code: SkewCode;
  readonly reason: string;
}

/** The kubelet/API-server skew policy boundary: kubelets older than this may only be 2 minors behind. */
const THREE_MINOR_SKEW_SINCE: Version = '1.25';

/**
 * How many minors a kubelet of this version may lag the API server: 3, or 2 when the kubelet is older than 1.25
 * (Kubernetes widened the policy in 1.28 for kubelets from 1.25 on).
 */
export function maxKubeletSkew(kubeletVersion: Version): number {
  return compareVersions(kubeletVersion, THREE_MINOR_SKEW_SINCE) < 0 ? 2 : 3;
}

/**
 * Minors a node group is behind its control plane (negative if ahead).
 *
 * @throws InvalidVersionError when a version is invalid or the majors differ.
 */
export function nodegroupSkew(controlPlane: Version, nodegroup: Version): number {
  return minorsBetween(nodegroup, controlPlane);
}

function minors(count: number): string {
  return count === 1 ? '1 minor version' : `${count} minor versions`;
}

/**
 * Judges one node group against the skew policy. Unsupported when it is behind by more than its kubelet allows, or
 * ahead of the control plane (kubelets are never newer than the API server).
 *
 * @throws InvalidVersionError when a version is invalid or the majors differ.
 */
export function assessSkew(controlPlane: Version, nodegroup: NodegroupState): SkewAssessment {
  const skew = nodegroupSkew(controlPlane, nodegroup.version);
  const subject = `Node group ${nodegroup.name} (${nodegroup.version})`;
  if (skew < 0) {
    return {
      skew,
      behind: false,
      supported: false,
      code: 'SKEW_AHEAD',
      reason: `${subject} is ${minors(-skew)} ahead of the control plane (${controlPlane}); a kubelet must never be newer than the API server`,
    };
  }
  if (skew === 0) {
    return {
      skew,
      behind: false,
      supported: true,
      code: 'SKEW_NONE',
      reason: `${subject} matches the control plane`,
    };
  }
  const allowed = maxKubeletSkew(nodegroup.version);
  if (skew > allowed) {
    return {
      skew,
      behind: true,
      supported: false,
      code: 'SKEW_TOO_FAR_BEHIND',
      reason: `${subject} is ${minors(skew)} behind the control plane (${controlPlane}); a ${nodegroup.version} kubelet may be at most ${minors(allowed)} behind`,
    };
  }
  return {
    skew,
    behind: true,
    supported: true,
    code: 'SKEW_BEHIND',
    reason: `${subject} is ${minors(skew)} behind the control plane (${controlPlane}), within the ${minors(allowed)} a ${nodegroup.version} kubelet may lag`,
  };
}

/**
 * The node groups not at the control plane's minor version: EKS refuses a control-plane upgrade until every managed
 * node group matches it, so these must be updated first.
 *
 * @throws InvalidVersionError when a version is invalid.
 */
export function nodegroupsMustMatchBeforeUpgrade(
  controlPlane: Version,
  nodegroups: readonly NodegroupState[],
): NodegroupState[] {
  return nodegroups.filter((nodegroup) => compareVersions(nodegroup.version, controlPlane) !== 0);
}
