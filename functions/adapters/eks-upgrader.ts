/**
 * The EKS write calls of the upgrade workflow — UpdateClusterVersion, UpdateNodegroupVersion, UpdateAddon (always
 * `resolveConflicts: PRESERVE`, so an owner's changes to an add-on's configuration are kept), each with an idempotency
 * token — and DescribeUpdate to follow them. SDK exceptions become named errors the state machine's Retry/Catch
 * match: only throttling, unreachable endpoints and "another update is in progress" are worth retrying.
 */
import {
  DescribeUpdateCommand,
  UpdateAddonCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import type { EKSClient, Update } from '@aws-sdk/client-eks';
import { AdapterError, translateAwsError } from './aws-errors.ts';
import type { ClusterUpdater, UpdateRef, UpdateView } from '../application/ports/cluster-updater.ts';

/** Another update runs on the cluster or resource (ResourceInUseException): retry later. */
class UpdateInProgressError extends AdapterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UPDATE_IN_PROGRESS', message, options);
    this.name = 'UpdateInProgressError';
  }
}

/** EKS refused the update (InvalidParameter/InvalidRequest/InvalidState): retrying the same call cannot help. */
class UpdateRejectedError extends AdapterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UPDATE_REJECTED', message, options);
    this.name = 'UpdateRejectedError';
  }
}

/** The update ended Failed or Cancelled; the message carries EKS's error codes and messages. */
export class UpdateFailedError extends AdapterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UPDATE_FAILED', message, options);
    this.name = 'UpdateFailedError';
  }
}

const REJECTED = new Set(['InvalidParameterException', 'InvalidRequestException', 'InvalidStateException']);
const STATUSES = new Set(['InProgress', 'Successful', 'Failed', 'Cancelled']);

/** Where the calls go: one cluster in one member account and region. */
export interface UpgradeTarget {
  readonly eks: EKSClient;
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
}

function translate(error: unknown, where: string): AdapterError {
  const name = error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (name === 'ResourceInUseException') return new UpdateInProgressError(`${where}: ${detail}`, { cause: error });
  if (REJECTED.has(name)) return new UpdateRejectedError(`${where}: ${name}: ${detail}`, { cause: error });
  return translateAwsError(error, where);
}

function where(target: UpgradeTarget, call: string): string {
  return `${call} on cluster ${target.clusterName} in ${target.accountId}/${target.region}`;
}

function refOf(update: Update | undefined, call: string, scope: Omit<UpdateRef, 'id'>): UpdateRef {
  if (update?.id === undefined) throw new UpdateRejectedError(`${call} returned no update id`);
  return { id: update.id, ...scope };
}

/** Starts a control-plane upgrade to `version` (exactly the next minor). */
export async function updateClusterVersion(
  target: UpgradeTarget,
  version: string,
  clientRequestToken: string,
): Promise<UpdateRef> {
  const call = where(target, `UpdateClusterVersion to ${version}`);
  try {
    const out = await target.eks.send(
      new UpdateClusterVersionCommand({ name: target.clusterName, version, clientRequestToken }),
    );
    return refOf(out.update, call, {});
  } catch (error) {
    throw translate(error, call);
  }
}

/** Starts a managed node group's update to `version` (at most the control plane's). */
export async function updateNodegroupVersion(
  target: UpgradeTarget,
  nodegroupName: string,
  version: string,
  clientRequestToken: string,
): Promise<UpdateRef> {
  const call = where(target, `UpdateNodegroupVersion ${nodegroupName} to ${version}`);
  try {
    const out = await target.eks.send(
      new UpdateNodegroupVersionCommand({
        clusterName: target.clusterName,
        nodegroupName,
        version,
        clientRequestToken,
      }),
    );
    return refOf(out.update, call, { nodegroupName });
  } catch (error) {
    throw translate(error, call);
  }
}

/** Starts an add-on's update to `addonVersion`, keeping the owner's configuration changes (PRESERVE). */
export async function updateAddon(
  target: UpgradeTarget,
  addonName: string,
  addonVersion: string,
  clientRequestToken: string,
): Promise<UpdateRef> {
  const call = where(target, `UpdateAddon ${addonName} to ${addonVersion}`);
  try {
    const out = await target.eks.send(
      new UpdateAddonCommand({
        clusterName: target.clusterName,
        addonName,
        addonVersion,
        resolveConflicts: 'PRESERVE',
        clientRequestToken,
      }),
    );
    return refOf(out.update, call, { addonName });
  } catch (error) {
    throw translate(error, call);
  }
}

/** Reads an update's status (and errors, once it ended). */
export async function describeUpdate(target: UpgradeTarget, ref: UpdateRef): Promise<UpdateView> {
  const call = where(target, `DescribeUpdate ${ref.id}`);
  try {
    const out = await target.eks.send(
      new DescribeUpdateCommand({
        name: target.clusterName,
        updateId: ref.id,
        ...(ref.nodegroupName === undefined ? {} : { nodegroupName: ref.nodegroupName }),
        ...(ref.addonName === undefined ? {} : { addonName: ref.addonName }),
      }),
    );
    const status = out.update?.status;
    if (status === undefined || !STATUSES.has(status)) {
      throw new UpdateRejectedError(`${call}: unexpected update status ${String(status)}`);
    }
    return {
      ...ref,
      status: status as UpdateView['status'],
      type: out.update?.type ?? null,
      errors: (out.update?.errors ?? []).map((e) => `${e.errorCode ?? 'Unknown'}: ${e.errorMessage ?? 'no message'}`),
    };
  } catch (error) {
    throw translate(error, call);
  }
}

/**
 * Starts an EKS version rollback: UpdateClusterVersion to the previous minor with `rollbackConfig` (EKS answers
 * with an Update of type VersionRollback). Never forced: a failing readiness insight is EKS's "no".
 */
export async function rollbackClusterVersion(
  target: UpgradeTarget,
  version: string,
  clientRequestToken: string,
  timeoutMinutes: number,
): Promise<UpdateRef> {
  const call = where(target, `UpdateClusterVersion (rollback) to ${version}`);
  try {
    const out = await target.eks.send(
      new UpdateClusterVersionCommand({
        name: target.clusterName,
        version,
        clientRequestToken,
        rollbackConfig: { timeoutMinutes },
      }),
    );
    return refOf(out.update, call, {});
  } catch (error) {
    throw translate(error, call);
  }
}

/** The {@link ClusterUpdater} port over these calls, for the cluster `target` names. */
export function eksClusterUpdater(target: UpgradeTarget): ClusterUpdater {
  return {
    updateClusterVersion: (version, token) => updateClusterVersion(target, version, token),
    updateNodegroupVersion: (nodegroupName, version, token) =>
      updateNodegroupVersion(target, nodegroupName, version, token),
    updateAddon: (addonName, addonVersion, token) => updateAddon(target, addonName, addonVersion, token),
    describeUpdate: (ref) => describeUpdate(target, ref),
    rollbackClusterVersion: (version, token, timeoutMinutes) =>
      rollbackClusterVersion(target, version, token, timeoutMinutes),
  };
}
