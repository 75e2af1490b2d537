/**
 * Least privilege, checked against the code: for every Lambda entry, the AWS SDK commands its code can send (every
 * project file esbuild bundles for it, and the `…Command` classes and `paginate…` helpers those files import from
 * `@aws-sdk/*`) against the IAM actions its own role holds, and the EKS calls against the member role it assumes.
 * And the audit-only deployment: no upgrade machine, no dispatcher, no upgrade role anywhere.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { roleNames } from '../../functions/core/naming.ts';
import { listEntries } from '../../infra/definitions.ts';
import { PROJECT_ROOT } from '../../infra/fleet-auditor-app.ts';
import { FUNCTION_ACCESS } from '../../infra/function-access.ts';
import { EKS_READ_ACTIONS, EKS_UPGRADE_ACTIONS, HEALTH_READ_ACTIONS } from '../../infra/stacks/member-roles-stack.ts';
import { actionsOf, configWith, resourcesOf, sharedSynthesis, statementsOf } from './infra-fixtures.ts';
import type { SynthesizedApp } from './infra-fixtures.ts';

const ENTRY_DIRECTORY = join(PROJECT_ROOT, 'functions', 'handlers', 'entry');
const NAMES = roleNames(configWith({}).namespace);

/** IAM service prefix of each SDK package the functions use. */
const SERVICE_OF_PACKAGE: Readonly<Record<string, string>> = {
  'client-eks': 'eks',
  'client-cloudwatch': 'cloudwatch',
  'client-sts': 'sts',
  'client-organizations': 'organizations',
  'client-sns': 'sns',
  'client-sfn': 'states',
  'client-dynamodb': 'dynamodb',
  'lib-dynamodb': 'dynamodb',
};

/** The DynamoDB operation each document-client command sends. */
const DOCUMENT_COMMANDS: Readonly<Record<string, string>> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

/** An action sent through a member role (EKS, and the bake's CloudWatch alarm reads), not the function's own role. */
function isMemberAction(action: string): boolean {
  return action.startsWith('eks:') || action.startsWith('cloudwatch:');
}

/** The IAM actions one imported SDK name sends (`sts:SetSourceIdentity` rides on every AssumeRole: it is always set). */
function actionsOfImport(pkg: string, name: string): string[] {
  const service = SERVICE_OF_PACKAGE[pkg];
  if (service === undefined) throw new Error(`@aws-sdk/${pkg} has no IAM service mapping in this test; add it`);
  const operation = name.startsWith('paginate') ? name.slice('paginate'.length) : name.replace(/Command$/, '');
  if (pkg === 'lib-dynamodb') {
    const mapped = DOCUMENT_COMMANDS[operation];
    if (mapped === undefined) throw new Error(`lib-dynamodb ${name} has no mapping in this test; add it`);
    return [`dynamodb:${mapped}`];
  }
  if (service === 'sts' && operation === 'AssumeRole') return ['sts:AssumeRole', 'sts:SetSourceIdentity'];
  return [`${service}:${operation}`];
}

/** The non-type `…Command` / `paginate…` imports from `@aws-sdk/*` of one source file, as IAM actions. */
function sdkActionsOfFile(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const actions: string[] = [];
  for (const match of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@aws-sdk\/([^']+)'/g)) {
    if (match[1] !== undefined) continue;
    const names = (match[2] ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '' && !part.startsWith('type '))
      .map((part) => part.split(/\s+as\s+/)[0] ?? part);
    for (const name of names) {
      if (/Command$/.test(name) || /^paginate[A-Z]/.test(name)) actions.push(...actionsOfImport(match[3] ?? '', name));
    }
  }
  return actions;
}

/** Per entry: the project files esbuild bundles for it and the IAM actions their SDK imports send. */
async function reachableActions(): Promise<Map<string, { files: string[]; actions: Set<string> }>> {
  const entries = listEntries(ENTRY_DIRECTORY);
  const result = await build({
    entryPoints: entries.map((entry) => join(ENTRY_DIRECTORY, `${entry}.ts`)),
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    outdir: join(PROJECT_ROOT, 'cdk.out', 'function-access-test'),
    logLevel: 'silent',
  });
  const reach = new Map<string, { files: string[]; actions: Set<string> }>();
  for (const output of Object.values(result.metafile.outputs)) {
    if (output.entryPoint === undefined) continue;
    const entry = relative(ENTRY_DIRECTORY, join(PROJECT_ROOT, output.entryPoint)).replace(/\.ts$/, '');
    const files = Object.keys(output.inputs).filter((file) => file.startsWith('functions/'));
    const actions = new Set(files.flatMap((file) => sdkActionsOfFile(join(PROJECT_ROOT, file))));
    reach.set(entry, { files, actions });
  }
  return reach;
}

/**
 * Actions an entry's code can reach but its role deliberately does not hold, each with why. The shared dependency
 * modules (`handlers/nightly/aws-deps.ts`, `handlers/upgrade/deps.ts`) build every client for every task of a
 * workflow, so the bundle of one task reaches commands only a sibling task sends; the role holds only what this task
 * sends. A rule that matches nothing is stale and fails the test: when the handlers build per-task dependencies,
 * these rules go.
 */
const NOT_HELD: readonly { readonly reason: string; readonly applies: (entry: string, action: string) => boolean }[] = [
  {
    reason: 'only StartRun discovers accounts, and only without an account list',
    applies: (entry, action) => action.startsWith('organizations:'),
  },
  {
    reason: 'only the functions FUNCTION_ACCESS says assume a member role do (audit: read; EKS upgrade tasks: upgrade)',
    applies: (entry, action) =>
      FUNCTION_ACCESS[entry]?.assumes === null && (action === 'sts:AssumeRole' || action === 'sts:SetSourceIdentity'),
  },
  {
    reason: 'only the dispatcher starts upgrade executions (the nightly deps module builds its starter for every task)',
    applies: (entry, action) =>
      action === 'states:StartExecution' && !(FUNCTION_ACCESS[entry]?.startsUpgrades ?? false),
  },
  {
    reason: 'only the nightly reconciliation (the dispatcher) describes upgrade executions',
    applies: (entry, action) =>
      action === 'states:DescribeExecution' && !(FUNCTION_ACCESS[entry]?.describesUpgrades ?? false),
  },
  {
    reason: 'only the functions that publish (FinishRun, the dispatcher, Notify) may publish',
    applies: (entry, action) => action === 'sns:Publish' && !(FUNCTION_ACCESS[entry]?.publishes ?? false),
  },
  {
    reason: 'a function writes only the item kinds it owns; a read-only function holds no write action',
    applies: (entry, action) =>
      /^dynamodb:(PutItem|UpdateItem|DeleteItem)$/.test(action) &&
      (FUNCTION_ACCESS[entry]?.tableWritePrefixes?.length ?? 0) === 0,
  },
  {
    reason: 'a function that uses no table holds no table action',
    applies: (entry, action) => action.startsWith('dynamodb:') && FUNCTION_ACCESS[entry]?.tableWritePrefixes === null,
  },
];

/** Actions a role holds for what every function needs whatever its code: its logs, X-Ray, and the fleet key. */
function isDocumentedNecessity(action: string): boolean {
  return /^(logs:(CreateLogStream|PutLogEvents)|xray:(PutTraceSegments|PutTelemetryRecords)|kms:(Decrypt|Encrypt|GenerateDataKey))$/.test(
    action,
  );
}

let app: SynthesizedApp;
let auditOnly: SynthesizedApp;
let reach: Map<string, { files: string[]; actions: Set<string> }>;
beforeAll(async () => {
  reach = await reachableActions();
  app = sharedSynthesis();
  auditOnly = sharedSynthesis(configWith({ maxConcurrentUpgrades: 0 }));
}, 240_000);

type Resource = { Properties: Record<string, unknown> };

/** The Lambda function of `entry` in `synthesized`'s hub, or undefined. */
function functionOf(synthesized: SynthesizedApp, entry: string): Resource | undefined {
  return Object.values(resourcesOf(synthesized.hub, 'AWS::Lambda::Function')).find(
    (fn) => String(fn.Properties['Description']).split(' task ')[1] === entry,
  );
}

/** The actions the role of `entry` holds (its policies), sorted. */
function heldActions(entry: string): string[] {
  const fn = functionOf(app, entry);
  if (fn === undefined) throw new Error(`no function for ${entry}`);
  const role = (fn.Properties['Role'] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
  return [
    ...new Set(
      Object.values(resourcesOf(app.hub, 'AWS::IAM::Policy'))
        .filter((policy) => JSON.stringify(policy.Properties['Roles']).includes(`"${role ?? ''}"`))
        .flatMap((policy) => statementsOf(policy.Properties['PolicyDocument']).flatMap(actionsOf)),
    ),
  ].sort();
}

describe('every function role matches the SDK commands its code sends', () => {
  it('finds the commands of every entry (the analysis sees what it should)', () => {
    expect([...reach.keys()].sort()).toEqual(listEntries(ENTRY_DIRECTORY));
    expect(reach.get('upgrade-start-update')?.actions).toContain('eks:UpdateNodegroupVersion');
    expect(reach.get('nightly-audit-account-region')?.actions).toContain('eks:ListClusters');
    expect(reach.get('nightly-dispatch-upgrades')?.actions).toContain('states:StartExecution');
  });

  it('lists every entry in infra/function-access.ts', () => {
    expect(Object.keys(FUNCTION_ACCESS).sort()).toEqual(listEntries(ENTRY_DIRECTORY));
  });

  it.each(listEntries(ENTRY_DIRECTORY))(
    '%s: holds nothing its code cannot send beyond logs, X-Ray and the key',
    (entry) => {
      const reachable = reach.get(entry)?.actions ?? new Set<string>();
      const extra = heldActions(entry).filter((action) => !reachable.has(action) && !isDocumentedNecessity(action));

      expect(extra).toEqual([]);
    },
  );

  it.each(listEntries(ENTRY_DIRECTORY))(
    '%s: misses nothing its code sends, except what a stated rule withholds',
    (entry) => {
      const held = new Set(heldActions(entry));
      const hub = [...(reach.get(entry)?.actions ?? [])].filter((action) => !isMemberAction(action));
      const missing = hub.filter((action) => !held.has(action));
      const unexplained = missing.filter((action) => !NOT_HELD.some((rule) => rule.applies(entry, action)));

      expect(unexplained).toEqual([]);
    },
  );

  it.each(listEntries(ENTRY_DIRECTORY))('%s: sends EKS calls only through a member role that allows them', (entry) => {
    const eks = [...(reach.get(entry)?.actions ?? [])].filter((action) => isMemberAction(action));
    const access = FUNCTION_ACCESS[entry];
    const allowed =
      access?.assumes === 'read'
        ? EKS_READ_ACTIONS
        : access?.assumes === 'upgrade'
          ? [...EKS_READ_ACTIONS, ...Object.keys(EKS_UPGRADE_ACTIONS), ...HEALTH_READ_ACTIONS]
          : [];

    if (access?.assumes === null) {
      // Reached through a shared deps module (region catalogs); with no member role it cannot send any of them.
      expect(heldActions(entry).filter((action) => action.startsWith('sts:'))).toEqual([]);
      return;
    }
    expect(eks.length).toBeGreaterThan(0);
    expect(eks.filter((action) => !allowed.includes(action))).toEqual([]);
  });

  it('uses every rule that withholds an action (none is stale)', () => {
    const used = NOT_HELD.filter((rule) =>
      listEntries(ENTRY_DIRECTORY).some((entry) => {
        const held = new Set(heldActions(entry));
        return [...(reach.get(entry)?.actions ?? [])].some(
          (action) => !isMemberAction(action) && !held.has(action) && rule.applies(entry, action),
        );
      }),
    );

    expect(used.map((rule) => rule.reason)).toEqual(NOT_HELD.map((rule) => rule.reason));
  });
});

describe('an audit-only deployment (maxConcurrentUpgrades = 0)', () => {
  it('deploys no upgrade state machine and no upgrade-path function', () => {
    const machines = Object.values(resourcesOf(auditOnly.hub, 'AWS::StepFunctions::StateMachine')).map(
      (machine) => machine.Properties['StateMachineName'],
    );
    const upgradePath = Object.entries(FUNCTION_ACCESS)
      .filter(([, access]) => access.upgradePath)
      .map(([entry]) => entry);

    expect(machines).not.toContain(`${NAMES.read.replace(/-read$/, '')}-upgrade-cluster`);
    expect(machines.some((name) => String(name).endsWith('-upgrade-cluster'))).toBe(false);
    expect(upgradePath).toContain('nightly-dispatch-upgrades');
    for (const entry of upgradePath) expect(functionOf(auditOnly, entry), entry).toBeUndefined();
  });

  it('runs the nightly audit without the dispatch step, and nothing may start an execution but the schedule', () => {
    const nightly = Object.values(resourcesOf(auditOnly.hub, 'AWS::StepFunctions::StateMachine')).find((machine) =>
      String(machine.Properties['StateMachineName']).endsWith('-nightly-audit'),
    );
    const text = JSON.stringify(nightly?.Properties['DefinitionString']);
    const hubText = JSON.stringify(auditOnly.hub.toJSON());

    expect(text).toContain('FinishRunFunctionArn');
    expect(text).not.toContain('DispatchUpgradesFunctionArn');
    expect(text).not.toMatch(/Next[^,]*DispatchUpgrades/);
    expect(hubText).not.toContain('UPGRADE_STATE_MACHINE_ARN');
    expect(hubText).not.toMatch(/hub-up-|sts:AssumeRole[^}]*-upgrade/);
  });

  it('grants no member upgrade role: the member stack has the read role only', () => {
    const roles = Object.values(resourcesOf(auditOnly.member, 'AWS::IAM::Role')).map(
      (role) => role.Properties['RoleName'],
    );

    expect(roles).toEqual([NAMES.read]);
    expect(JSON.stringify(auditOnly.member.toJSON())).not.toContain('eks:Update');
  });
});
