/** Bad command-line input: the CLI prints the one-line reason and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: fleet-auditor <command> [options]

Commands:
  audit     Audit every EKS cluster: support deadlines, skew, add-ons, cost, upgrade readiness
  plan      Show each cluster's upgrade plan: target, path, blockers, next window
  upgrade   upgrade CLUSTER --dry-run: the exact EKS API calls an upgrade would make, in order
  rollback  rollback CLUSTER [VERSION] [--dry-run]: EKS version rollback to N-1 within 7 days of an in-place upgrade, every
            prerequisite checked and named (--dry-run prints the exact calls; a refusal exits 1)
  blue-green  blue-green CLUSTER [--target 1.NN] [--format eksctl|json]: the replacement cluster at the target
            (EKS Create* requests or eksctl ClusterConfig), what is not cloned, and the cut-over checklist
  nightly   nightly --simulate FLEET.json --state DIR: the whole nightly pipeline locally (audit, DynamoDB in DIR,
            alerts and digest appended to DIR/outbox.jsonl, fleet saved to DIR/fleet.json for the next run)

Options:
  --simulate FLEET.json   Serve FLEET.json through the built-in EKS simulator instead of AWS
  --accounts ID,ID        Member accounts to audit (default: every ACTIVE account of the organization)
  --organizational-units ID,ID
                          Audit the accounts under these roots (r-…) and OUs (ou-…), nested OUs included
  --regions R,R           Regions to audit (default: the fleet file's regions, or every default-enabled region)
  --role NAME             Role to assume in each member account (default: fleet-auditor-read)
  --tag-prefix PREFIX     Prefix of the opt-in tags (default: fleet-auditor/)
  --now ISO               Fix the clock, e.g. 2026-11-22T12:00:00Z (reproducible reports)
  --format FORMAT         table | json | csv | html (default: table; plan and upgrade: table | json;
                          blue-green: eksctl | json, default a readable summary)
  --target 1.NN           blue-green: the replacement's version (default: the cluster's upgrade target)
  --out FILE              Write the report to FILE instead of standard output
  --state DIR             nightly: where the local DynamoDB, outbox.jsonl and fleet.json live (created if missing)
  --dry-run               upgrade: print the calls, change nothing (upgrades run only in the nightly pipeline);
                          rollback: print the prerequisites and the calls, change nothing
  --help                  Show this help
`;
