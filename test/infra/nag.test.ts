import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addAwsSolutionsChecks, addFleetAuditorStacks } from '../../infra/fleet-auditor-app.ts';
import type { FleetAuditorConfig } from '../../infra/config.ts';
import { CDK_CONTEXT, CHECKED_IN_CONFIG, SYNTH_TIMEOUT_MS, configWith, sharedSynthesis } from './infra-fixtures.ts';
import type { SynthesizedApp } from './infra-fixtures.ts';

const ORGANIZATION_WIDE = configWith({
  namespace: 'eks-audit',
  tagPrefix: 'acme.io/',
  accounts: { ids: [], organizationalUnitIds: ['ou-ab12-cdef3456'], organizationId: 'o-a1b2c3d4e5' },
  memberStackSet: { accountId: '999999999999', region: 'us-east-1', callAs: 'SELF' },
});

const CONFIGURATIONS: readonly (readonly [string, FleetAuditorConfig])[] = [
  ['the checked-in configuration (account list)', CHECKED_IN_CONFIG],
  ['an organization-wide deployment with the member StackSet and another namespace', ORGANIZATION_WIDE],
];

interface Report {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly { readonly ruleName: string }[];
  }[];
}

function appFor(config: FleetAuditorConfig): App {
  const flags = Object.fromEntries(Object.entries(CDK_CONTEXT).filter(([key]) => key !== 'fleetAuditor'));
  const app = new App({ context: { ...flags, 'aws:cdk:bundling-stacks': [] } });
  addFleetAuditorStacks(app, config);
  return app;
}

/** Every acknowledgement in the tree: where it sits, which rule, and why. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

// Each configuration is built and synthesized once for the whole file (cdk-nag runs during that synthesis).
const SYNTHESIZED = new Map<string, SynthesizedApp>();
beforeAll(() => {
  for (const [label, config] of CONFIGURATIONS) SYNTHESIZED.set(label, sharedSynthesis(config));
}, 240_000);

function synthesized(label: string): SynthesizedApp {
  const found = SYNTHESIZED.get(label);
  if (found === undefined) throw new Error(`not synthesized: ${label}`);
  return found;
}

describe('cdk-nag AwsSolutions checks', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it.each(CONFIGURATIONS)('leave no unacknowledged finding in %s', (label) => {
    const report = JSON.parse(
      readFileSync(join(synthesized(label).outdir, 'validation-report.json'), 'utf8'),
    ) as Report;

    const findings = report.pluginReports
      .filter((plugin) => plugin.pluginName === 'AwsSolutions')
      .flatMap((plugin) => plugin.violations.map((violation) => violation.ruleName));

    expect(findings).toEqual([]);
  });

  it('fail the synth on a finding nobody acknowledged', () => {
    const app = appFor(CHECKED_IN_CONFIG);
    const stray = app.node.findChild('FleetAuditorHub') as Stack;
    new sqs.Queue(stray, 'UnencryptedQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    addAwsSolutionsChecks(app);

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS\d/);
  });

  it.each(CONFIGURATIONS)('acknowledge only AwsSolutions rules, each with a reason, in %s', (label) => {
    const found = acknowledgements(synthesized(label).stacks.hub.node.root);

    expect(found.length).toBeGreaterThan(0);
    for (const { path, id, reason } of found) {
      expect(id, path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('acknowledge no EKS write on the member upgrade role: every update is conditioned on the opt-in tag', () => {
    for (const [label] of CONFIGURATIONS) {
      const member = acknowledgements(synthesized(label).stacks.member);
      expect(member.filter(({ reason }) => /cannot condition|scoped .* by ARN/i.test(reason))).toEqual([]);
    }
  });

  it.each(CONFIGURATIONS)('use every acknowledgement they make (none is stale) in %s', (label) => {
    const app = synthesized(label).stacks.hub.node.root;
    const pack = new AwsSolutionsChecks();
    const consult = Reflect.get(pack, 'isAcknowledged') as unknown;
    if (typeof consult !== 'function')
      throw new Error('cdk-nag no longer has NagPack.isAcknowledged; update this test');
    const used = new Set<string>();
    Reflect.set(pack, 'isAcknowledged', (resource: IConstruct, ruleId: string): boolean => {
      const acknowledged = (consult as (r: IConstruct, id: string) => boolean).call(pack, resource, ruleId);
      if (acknowledged) {
        for (let node: IConstruct | undefined = resource; node !== undefined; node = node.node.scope) {
          if (acknowledgements(node).some((ack) => ack.path === node?.node.path && ack.id === ruleId)) {
            used.add(`${node.node.path} ${ruleId}`);
          }
        }
      }
      return acknowledged;
    });

    const report = pack.validateScope(app);

    expect(report.violations).toEqual([]);
    const unused = acknowledgements(app)
      .map(({ path, id }) => `${path} ${id}`)
      .filter((key) => !used.has(key));
    expect(unused).toEqual([]);
  });
});
