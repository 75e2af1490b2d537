/**
 * Port: the EKS write calls of an upgrade and the polling of their updates, for one cluster (EKS through the
 * member's upgrade role in AWS, the simulator in local runs). Each call is idempotent under its client request token.
 */

/** What the workflow keeps of an update to poll it again. */
export interface UpdateRef {
  readonly id: string;
  /** Set for a node-group update: DescribeUpdate finds it only with its node group's name. */
  readonly nodegroupName?: string;
  /** Set for an add-on update: DescribeUpdate finds it only with its add-on's name. */
  readonly addonName?: string;
}

/** An update as DescribeUpdate reports it. */
export interface UpdateView extends UpdateRef {
  readonly status: 'InProgress' | 'Successful' | 'Failed' | 'Cancelled';
  readonly type: string | null;
  /** `code: message` of each error EKS reports (empty unless Failed). */
  readonly errors: readonly string[];
}

/**
 * The upgrade calls on one cluster. Errors are named (UpdateInProgressError, UpdateRejectedError, or the adapter's
 * translation of an AWS error) so the state machine's Retry and Catch can match them.
 */
export interface ClusterUpdater {
  /** Starts a control-plane upgrade to `version` (exactly the next minor). */
  updateClusterVersion(version: string, clientRequestToken: string): Promise<UpdateRef>;
  /** Starts a managed node group's update to `version` (at most the control plane's). */
  updateNodegroupVersion(nodegroupName: string, version: string, clientRequestToken: string): Promise<UpdateRef>;
  /** Starts an add-on's update to `addonVersion`, keeping the owner's configuration changes. */
  updateAddon(addonName: string, addonVersion: string, clientRequestToken: string): Promise<UpdateRef>;
  /** Reads an update's status (and errors, once it ended). */
  describeUpdate(ref: UpdateRef): Promise<UpdateView>;
  /** Starts a version rollback of the control plane to `version` (the previous minor), never forced. */
  rollbackClusterVersion(version: string, clientRequestToken: string, timeoutMinutes: number): Promise<UpdateRef>;
}
