/** Bad command-line input: the CLI prints the one-line reason and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One line per command, for the help. */
export const COMMAND_SUMMARIES = {
  audit: 'Audit every EKS cluster: support deadlines, skew, add-ons, cost, owners, upgrade readiness',
  plan: "Show each cluster's upgrade plan: target, path, blockers, next window",
  upgrade: 'upgrade CLUSTER --dry-run: the exact EKS API calls an upgrade would make, in order',
  rollback:
    'rollback CLUSTER [VERSION] [--dry-run]: EKS version rollback to N-1 within 7 days of an in-place upgrade, every ' +
    'prerequisite checked and named (--dry-run prints the exact calls; a refusal exits 1)',
  'blue-green':
    'blue-green CLUSTER [--target 1.NN] [--format eksctl|json]: the replacement cluster at the target (EKS Create* ' +
    'requests or an eksctl ClusterConfig), what is not cloned, and the cut-over checklist',
  nightly:
    'nightly --simulate FLEET.json --state DIR: the whole nightly pipeline locally (audit, DynamoDB in DIR, ' +
    'alerts and digest appended to DIR/outbox.jsonl, fleet saved to DIR/fleet.json for the next run)',
} as const;

/** Exit codes of the CLI (DESIGN §5.1). */
export const EXIT = {
  /** The command ran, whatever it found. */
  OK: 0,
  /** Failure, including "no account-region could be read at all". */
  FAILURE: 1,
  /** Bad input. */
  USAGE: 2,
  /** `--fail-on SEVERITY` given and some cluster is at or above it. */
  FAIL_ON: 3,
} as const;
