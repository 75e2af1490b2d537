/**
 * The prose half of a blue/green plan (DESIGN §7.2): what the replacement does not get from the EKS API (listed,
 * never guessed) and the cut-over checklist with this cluster's figures.
 */
import type { BlueGreenInput, CutoverStep, NotCloned } from './blue-green-plan.ts';

/** Everything the plan cannot read or clone for `input.definition`, prerequisites first. */
export function notClonedOf(input: BlueGreenInput): NotCloned[] {
  const def = input.definition;
  const items: NotCloned[] = [];
  for (const ng of def.nodegroups.filter((n) => n.amiType === 'CUSTOM')) {
    const template = ng.launchTemplate;
    const ref = template === null ? 'its launch template' : `launch template ${template.id ?? template.name ?? ''}`;
    items.push({
      what: `the custom AMI of node group ${ng.name}`,
      reason: `${ref} names its own image; build one for ${input.target} and point the template version the request uses at it before CreateNodegroup`,
      prerequisite: true,
    });
  }
  const irsa = def.addons.filter((a) => a.serviceAccountRoleArn !== null).map((a) => a.serviceAccountRoleArn ?? '');
  if (irsa.length > 0) {
    items.push({
      what: `trust of the IRSA role(s) ${irsa.join(', ')}`,
      reason:
        "they trust the old cluster's OIDC issuer; create an IAM OIDC provider for the new cluster and add it to their trust policies",
      prerequisite: true,
    });
  }
  items.push({
    what: 'security group rules',
    reason:
      'EKS creates a new cluster security group for the replacement; rules that reference the old one (node, database, ' +
      'load-balancer access) are not in the EKS API and must be copied',
    prerequisite: true,
  });
  items.push({
    what: 'IAM roles themselves',
    reason: 'the cluster, node, Fargate and add-on roles are referenced by ARN, not copied; they must keep existing',
    prerequisite: false,
  });
  for (const part of def.unread) {
    items.push({
      what: `what ${part.operation} would have told`,
      reason: `it could not be read (${part.message}); that part is missing from the plan`,
      prerequisite: true,
    });
  }
  if (input.suspectedSelfManaged === true) {
    items.push({
      what: 'self-managed nodes (suspected from insights)',
      reason: 'nodes outside managed node groups are invisible to the EKS API; rebuild them for the target yourself',
      prerequisite: false,
    });
  }
  for (const ng of def.nodegroups.filter((n) => n.remoteAccessKey !== null)) {
    items.push({
      what: `remote access of node group ${ng.name} (key ${ng.remoteAccessKey ?? ''})`,
      reason: 'its source security groups are not readable here; add remoteAccess to the request yourself',
      prerequisite: false,
    });
  }
  if (def.authenticationMode !== 'API') {
    items.push({
      what: 'the aws-auth ConfigMap',
      reason: 'it lives inside the cluster, not in the EKS API; copy its mappings (or turn them into access entries)',
      prerequisite: false,
    });
  }
  items.push({
    what: 'workloads and in-cluster state',
    reason:
      'Deployments, Services, CRDs, Secrets, Helm releases, persistent volumes and pod identity associations of ' +
      'workloads are not read; deploy them to the new cluster from their source',
    prerequisite: false,
  });
  return items;
}

function nodeFigures(input: BlueGreenInput): { lines: string[]; desired: number; max: number } {
  const def = input.definition;
  let desired = 0;
  let max = 0;
  const lines = def.nodegroups.map((ng) => {
    const types = ng.instanceTypes.length === 0 ? 'launch-template instance type' : ng.instanceTypes.join('/');
    if (ng.scaling === null) return `${ng.name}: scaling unknown, ${types}`;
    desired += ng.scaling.desiredSize;
    max += ng.scaling.maxSize;
    return `${ng.name}: ${ng.scaling.desiredSize} nodes now (min ${ng.scaling.minSize}, max ${ng.scaling.maxSize}), ${types}`;
  });
  if (def.autoMode !== null)
    lines.push(`Auto Mode node pools ${def.autoMode.nodePools.join(', ')} (AWS sizes the nodes)`);
  if (def.fargateProfiles.length > 0)
    lines.push(`Fargate profiles ${def.fargateProfiles.map((p) => p.name).join(', ')}`);
  return { lines, desired, max };
}

/** The cut-over of DESIGN §7.2, step by step, with the old cluster's figures. */
export function cutoverChecklist(input: BlueGreenInput, replacement: string): CutoverStep[] {
  const def = input.definition;
  const old = `${def.name} (${def.version})`;
  const figures = nodeFigures(input);
  const deadline = input.deadline;
  const keepUntil =
    deadline === null || deadline === undefined
      ? ''
      : ` It cannot be kept past ${deadline.date} (${deadline.consequence === 'AUTO_UPGRADE' ? 'AWS upgrades it then' : 'extended-support billing starts then'}).`;
  return [
    {
      code: 'BUILD',
      action: `Create ${replacement} at ${input.target}: run the requests in order, waiting where marked (or eksctl create cluster -f with the ClusterConfig), after the prerequisites under "not cloned".`,
    },
    {
      code: 'DEPLOY',
      action: `Deploy every workload to ${replacement} from its source; nothing inside ${old} is cloned.`,
    },
    {
      code: 'WARM_LOAD_BALANCERS',
      action: `Warm ${replacement}'s new load balancers before they take traffic: ramp synthetic load, or ask AWS Support to pre-warm them for ${old}'s peak.`,
    },
    {
      code: 'RAISE_HPA_MINIMUMS',
      action:
        `Raise HPA minimums on both clusters to ${old}'s peak replica counts before the first shift, so neither side scales from cold. ` +
        `Node figures of ${old} as minimum hints${figures.lines.length === 0 ? ': none readable' : `: ${figures.lines.join('; ')}`}` +
        (figures.desired > 0
          ? `. ${replacement} starts at the same sizes (${figures.desired} nodes, up to ${figures.max}); keep at least ${figures.desired} nodes on each side until the shift is done.`
          : '.'),
    },
    {
      code: 'SINGLETONS_LAST',
      action:
        'Move singletons last: leader-elected controllers, CronJobs and consumers that must not run twice are scaled to 0 on ' +
        `${old} as they start on ${replacement}, after all traffic has moved.`,
    },
    {
      code: 'SHIFT_TRAFFIC',
      action:
        'Shift traffic slowly at the gateway or with weighted DNS: 1 % → 5 % → 25 % → 50 % → 100 %, holding each step through ' +
        'error-rate and latency checks, and back to 0 % on the first bad signal.',
    },
    {
      code: 'KEEP_WAY_BACK',
      action: `Keep ${old} running and untouched as the way back until ${replacement} has carried all traffic through a full peak.${keepUntil}`,
    },
    {
      code: 'RETIRE',
      action: `Then scale ${old} to zero and delete it; move owner tags, alarms and dashboards to ${replacement}.`,
    },
  ];
}
