/**
 * Every stack of a deployment, from one configuration: the hub's state and functions, the member roles (for
 * `cdk deploy` into a member account), and — when organizational units are configured — the StackSet that puts
 * the member roles into every account of those OUs. `app.ts` and the tests both build the app through here.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tags, Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { FleetAuditorConfig } from './config.ts';
import { listEntries, readDefinitions } from './definitions.ts';
import { nodejsFunctionFactory } from './function-factory.ts';
import type { FunctionFactory } from './function-factory.ts';
import { HubStack } from './stacks/hub-stack.ts';
import { HubStateStack } from './stacks/hub-state-stack.ts';
import { MemberRolesStack, NAMESPACE_TAG } from './stacks/member-roles-stack.ts';
import { MemberStackSetStack, renderMemberTemplate } from './stacks/member-stack-set-stack.ts';

/** The repository root (the directory of `package.json`). */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Construct ids of the stacks: what `cdk deploy <id>` takes, whatever the namespace. */
export const STACK_IDS = {
  state: 'FleetAuditorState',
  hub: 'FleetAuditorHub',
  member: 'FleetAuditorMember',
  memberStackSet: 'FleetAuditorMemberStackSet',
} as const;

/** The stacks of one deployment; `memberStackSet` only when `memberStackSet` is configured. */
export interface FleetAuditorStacks {
  readonly state: HubStateStack;
  readonly hub: HubStack;
  readonly member: MemberRolesStack;
  readonly memberStackSet: MemberStackSetStack | null;
}

/** What tests (or another app) may swap: how functions are built, where definitions and entries live. */
export interface BuildOptions {
  /** Default: NodejsFunction bundled by the local esbuild. */
  readonly functionFactory?: FunctionFactory;
  /** Default: the repository's `statemachines/`. */
  readonly statemachinesDirectory?: string;
  /** Default: the repository's `functions/handlers/entry/`. */
  readonly entryDirectory?: string;
}

/** Adds every stack of the deployment `config` to `app`. */
export function addFleetAuditorStacks(
  app: App,
  config: FleetAuditorConfig,
  options: BuildOptions = {},
): FleetAuditorStacks {
  const hubEnv = { account: config.hubAccountId, region: config.hubRegion };
  const entryDirectory = options.entryDirectory ?? join(PROJECT_ROOT, 'functions', 'handlers', 'entry');
  const memberProps = {
    namespace: config.namespace,
    hubAccountId: config.hubAccountId,
    organizationId: config.accounts.organizationId,
    upgrades: config.maxConcurrentUpgrades > 0,
    regions: config.regions,
    tagPrefix: config.tagPrefix,
    partition: RegionInfo.get(config.hubRegion).partition ?? 'aws',
  };

  const state = new HubStateStack(app, STACK_IDS.state, {
    stackName: `${config.namespace}-state`,
    description: 'EKS Fleet Auditor hub: fleet table, alert and alarm topics, KMS key (retained)',
    env: hubEnv,
    namespace: config.namespace,
    alertEmails: config.alertEmails,
  });
  const hub = new HubStack(app, STACK_IDS.hub, {
    stackName: `${config.namespace}-hub`,
    description: 'EKS Fleet Auditor hub: functions, state machines, nightly schedule, alarms, dashboard',
    env: hubEnv,
    config,
    state,
    definitions: readDefinitions(options.statemachinesDirectory ?? join(PROJECT_ROOT, 'statemachines')),
    entries: listEntries(entryDirectory),
    entryDirectory,
    functionFactory: options.functionFactory ?? nodejsFunctionFactory({ projectRoot: PROJECT_ROOT }),
  });
  const member = new MemberRolesStack(app, STACK_IDS.member, {
    stackName: `${config.namespace}-member`,
    description: 'EKS Fleet Auditor member account: read and upgrade roles trusted by the hub roles only',
    ...memberProps,
  });
  const stackSet = config.memberStackSet;
  const memberStackSet =
    stackSet === null
      ? null
      : new MemberStackSetStack(app, STACK_IDS.memberStackSet, {
          stackName: `${config.namespace}-member-stackset`,
          description: 'EKS Fleet Auditor: member roles StackSet over organizational units',
          env: { account: stackSet.accountId, region: stackSet.region },
          namespace: config.namespace,
          organizationalUnitIds: config.accounts.organizationalUnitIds,
          instanceRegion: stackSet.region,
          callAs: stackSet.callAs,
          templateBody: renderMemberTemplate(memberProps, app.node.getAllContext()),
        });

  for (const stack of [state, hub, memberStackSet]) {
    if (stack !== null) Tags.of(stack).add(NAMESPACE_TAG, config.namespace);
  }
  return { state, hub, member, memberStackSet };
}

/** Runs the cdk-nag AwsSolutions checks on every stack of `app`: a finding not acknowledged fails the synth. */
export function addAwsSolutionsChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
