/**
 * Shared set-up of the infrastructure tests: the configuration checked in to `cdk.json`, and an app synthesized
 * from it without bundling (`aws:cdk:bundling-stacks: []`), with cdk-nag on, into a throw-away directory.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { inject } from 'vitest';
import { parseConfig, rawConfigFromContext } from '../../infra/config.ts';
import type { FleetAuditorConfig } from '../../infra/config.ts';
import { PROJECT_ROOT, addAwsSolutionsChecks, addFleetAuditorStacks } from '../../infra/fleet-auditor-app.ts';
import type { BuildOptions, FleetAuditorStacks } from '../../infra/fleet-auditor-app.ts';

/** Timeout of a test that synthesizes an app of its own (cold module loading on a busy machine takes seconds). */
export const SYNTH_TIMEOUT_MS = 60_000;

/** The `context` of the checked-in `cdk.json` (configuration and feature flags). */
export const CDK_CONTEXT: Readonly<Record<string, unknown>> = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

/** The configuration of the checked-in `cdk.json`. */
export const CHECKED_IN_CONFIG: FleetAuditorConfig = parseConfig(rawConfigFromContext(CDK_CONTEXT));

/** The checked-in configuration with some fields replaced. */
export function configWith(overrides: Partial<FleetAuditorConfig>): FleetAuditorConfig {
  return { ...CHECKED_IN_CONFIG, ...overrides };
}

/** A synthesized deployment: its stacks, their templates, and the cloud assembly directory. */
export interface SynthesizedApp {
  readonly stacks: FleetAuditorStacks;
  readonly state: Template;
  readonly hub: Template;
  readonly member: Template;
  readonly memberStackSet: Template | null;
  readonly outdir: string;
}

/** Builds and synthesizes the whole app (with cdk-nag) for `config`, without bundling any function. */
export function synthesize(
  config: FleetAuditorConfig = CHECKED_IN_CONFIG,
  options: BuildOptions = {},
  parent: string = tmpdir(),
): SynthesizedApp {
  const outdir = mkdtempSync(join(parent, 'fleet-auditor-cdk-'));
  const context = Object.fromEntries(Object.entries(CDK_CONTEXT).filter(([key]) => key !== 'fleetAuditor'));
  const app = new App({ outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stacks = addFleetAuditorStacks(app, config, options);
  addAwsSolutionsChecks(app);
  app.synth();
  return {
    stacks,
    state: Template.fromStack(stacks.state),
    hub: Template.fromStack(stacks.hub),
    member: Template.fromStack(stacks.member),
    memberStackSet: stacks.memberStackSet === null ? null : Template.fromStack(stacks.memberStackSet),
    outdir,
  };
}

/** Apps synthesized by `sharedSynthesis` in this worker, by configuration. */
const shared = new Map<string, SynthesizedApp>();

/**
 * The app synthesized for `config`, built once per worker and shared by the test files that only read it (a
 * synthesis with cdk-nag costs seconds of CPU). Callers must not change it; its cloud assembly directory is in the
 * run's scratch folder (test/support/scratch-dir-setup.ts), removed when the run ends.
 */
export function sharedSynthesis(config: FleetAuditorConfig = CHECKED_IN_CONFIG): SynthesizedApp {
  const key = JSON.stringify(config);
  const found = shared.get(key);
  if (found !== undefined) return found;
  const app = synthesize(config, {}, inject('scratchDir'));
  shared.set(key, app);
  return app;
}

/** Resources of `type` in `template`, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, { Properties: Record<string, unknown> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;
}

/** Pseudo parameters as a member account in the commercial partition sees them. */
export const MEMBER_PSEUDO: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  'AWS::AccountId': '444455556666',
  'AWS::Region': 'eu-west-1',
};

/**
 * Evaluates the intrinsics a template uses for ARNs (`Fn::Join`, `Ref` to a pseudo parameter), so an assertion
 * can compare the ARN IAM will see. Anything else is returned as written.
 */
export function evaluate(value: unknown, pseudo: Readonly<Record<string, string>> = MEMBER_PSEUDO): unknown {
  if (Array.isArray(value)) return value.map((item) => evaluate(item, pseudo));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const ref = record['Ref'];
  if (typeof ref === 'string' && pseudo[ref] !== undefined) return pseudo[ref];
  const join = record['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map((part) => evaluate(part, pseudo));
    if (parts.every((part) => typeof part === 'string')) return parts.join(join[0]);
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, evaluate(inner, pseudo)]));
}

/** An IAM policy statement as templates hold it. */
export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Sid?: string;
}

/** The statements of a policy document, whatever its shape. */
export function statementsOf(document: unknown): Statement[] {
  const statements = (document as { Statement?: Statement[] } | undefined)?.Statement ?? [];
  return statements;
}

/** A statement's actions as a list. */
export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}
