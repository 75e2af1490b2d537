/**
 * The product's defaults, in one place: what a deployment, a cluster without a tag or a CLI run without an option
 * gets. Each is overridable where the README says (tags, `--owner-tags`, `--regions`, the hub configuration).
 */

/** The namespace of a default deployment: the prefix of every role and resource name. */
export const DEFAULT_NAMESPACE = 'fleet-auditor';

/** The default tag-key prefix; deployments may configure another. */
export const DEFAULT_TAG_PREFIX = 'fleet-auditor/';

/** The rollout group of a cluster without a `rollout-group` tag (or with an invalid one). */
export const DEFAULT_ROLLOUT_GROUP = 'default';

/** The owner tag keys looked up by default, in order. */
export const DEFAULT_OWNER_TAGS: readonly string[] = ['team', 'owner'];

/** Days a lower wave must have run a version before the next wave may start a hop to it. */
export const DEFAULT_SOAK_DAYS = 7;

/** The default bake when the `bake` tag is absent: 24 hours. */
export const DEFAULT_BAKE_MS = 24 * 3_600_000;

/** Default fleet-wide cap on upgrades running at once. */
export const DEFAULT_MAX_CONCURRENT_UPGRADES = 5;

/** Default days a failed upgrade holds its cluster back (same target, version unchanged since the failure). */
export const DEFAULT_FAILURE_HOLD_DAYS = 7;

/** Account-regions audited at once within a nightly batch when neither the run's input nor the deployment says. */
export const DEFAULT_MAX_CONCURRENCY = 10;

/**
 * Account-regions per child execution of the nightly run when neither the input nor the deployment says: 250
 * account-regions × ~7 history events stay far below a Standard execution's 25,000; the batch's account-regions
 * (~12 KB in the child's state once loaded, ~7 KB in the batch item) stay far below the 256 KB payload and 400 KB item
 * limits.
 */
export const DEFAULT_BATCH_SIZE = 250;

/** Default lease of the upgrade lock, in seconds; renewed on every poll. */
export const DEFAULT_LOCK_TTL_SECONDS = 4 * 3600;

/** Default longest wait for one EKS update before the upgrade workflow gives up on it, in seconds. */
export const DEFAULT_UPDATE_TIMEOUT_SECONDS = 8 * 3600;

/** The rollback timeout asked of EKS for a version rollback (`rollbackConfig.timeoutMinutes`, EKS's own default). */
export const DEFAULT_ROLLBACK_TIMEOUT_MINUTES = 720;

/**
 * Client-side pacing of the EKS requests of one account-region's audit: requests per second and burst. It keeps the
 * audit within EKS's throttling bucket and leaves the member's own tooling its share.
 */
export const DEFAULT_EKS_REQUESTS_PER_SECOND = 10;

/** The burst of that pacing (see DEFAULT_EKS_REQUESTS_PER_SECOND). */
export const DEFAULT_EKS_REQUEST_BURST = 20;

/** Regions enabled by default in every commercial AWS account (opt-in regions must be named with --regions). */
export const DEFAULT_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
];
