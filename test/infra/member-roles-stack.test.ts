import { rmSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleNames } from '../../functions/core/naming.ts';
import { EKS_READ_ACTIONS, MemberRolesStack, optInConditionKey } from '../../infra/stacks/member-roles-stack.ts';
import { renderMemberTemplate } from '../../infra/stacks/member-stack-set-stack.ts';
import {
  CDK_CONTEXT,
  CHECKED_IN_CONFIG,
  MEMBER_PSEUDO,
  actionsOf,
  configWith,
  evaluate,
  resourcesOf,
  statementsOf,
  synthesize,
  SYNTH_TIMEOUT_MS,
} from './infra-fixtures.ts';
import type { Statement, SynthesizedApp } from './infra-fixtures.ts';

const HUB = CHECKED_IN_CONFIG.hubAccountId;
const MEMBER = MEMBER_PSEUDO['AWS::AccountId'] ?? '';
const NAMES = roleNames(CHECKED_IN_CONFIG.namespace);

interface RoleProperties {
  readonly RoleName: string;
  readonly AssumeRolePolicyDocument: unknown;
  readonly Policies: readonly { PolicyName: string; PolicyDocument: unknown }[];
}

function roleNamed(template: Template, name: string): RoleProperties {
  const roles = Object.values(resourcesOf(template, 'AWS::IAM::Role')).map(
    (role) => role.Properties as unknown as RoleProperties,
  );
  const role = roles.find((candidate) => candidate.RoleName === name);
  if (role === undefined) throw new Error(`no role named ${name}`);
  return role;
}

function permissions(role: RoleProperties): Statement[] {
  return role.Policies.flatMap((policy) => statementsOf(evaluate(policy.PolicyDocument)));
}

let app: SynthesizedApp;
// The first synthesis of a worker loads all of aws-cdk-lib: seconds, more on a busy machine.
beforeAll(() => {
  app = synthesize();
}, 120_000);
afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));

describe('MemberRolesStack trust', () => {
  it.each([
    ['read role', NAMES.read, NAMES.hubAudit],
    ['upgrade role', NAMES.upgrade, NAMES.hubUpgrade],
  ])('lets only the exact hub role ARN assume the %s', (_label, member, hub) => {
    const trust = statementsOf(evaluate(roleNamed(app.member, member).AssumeRolePolicyDocument));

    expect(trust).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${HUB}:role/${hub}` } },
    ]);
  });

  it('never trusts an account root or a wildcard principal', () => {
    const principals = Object.values(resourcesOf(app.member, 'AWS::IAM::Role')).map((role) =>
      JSON.stringify(evaluate((role.Properties as unknown as RoleProperties).AssumeRolePolicyDocument)),
    );

    for (const principal of principals) {
      expect(principal).not.toMatch(/:root"|"AWS":"\d{12}"|"AWS":"\*"|"\*"/);
    }
  });

  it('trusts the very role names the hub stack creates (one naming module)', () => {
    const hubRoleNames = Object.values(resourcesOf(app.hub, 'AWS::IAM::Role')).map(
      (role) => role.Properties['RoleName'],
    );

    expect(hubRoleNames).toEqual(expect.arrayContaining([NAMES.hubAudit, NAMES.hubUpgrade]));
  });
});

describe('MemberRolesStack read role', () => {
  it('may only List and Describe EKS resources, and read CloudWatch alarm states', () => {
    const statements = permissions(roleNamed(app.member, NAMES.read));
    const actions = statements.flatMap(actionsOf);

    expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
    expect(
      actions.every(
        (action) => /^eks:(List|Describe)[A-Za-z]+$/.test(action) || action === 'cloudwatch:DescribeAlarms',
      ),
    ).toBe(true);
    expect(actions.sort()).toEqual([...EKS_READ_ACTIONS, 'cloudwatch:DescribeAlarms'].sort());
  });
});

describe('MemberRolesStack upgrade role', { timeout: SYNTH_TIMEOUT_MS }, () => {
  const upgradeStatements = (): Statement[] =>
    permissions(roleNamed(app.member, NAMES.upgrade)).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('eks:Update')),
    );

  it('updates a control plane only when the cluster carries <prefix>auto-upgrade = true', () => {
    const controlPlane = upgradeStatements().filter((statement) =>
      actionsOf(statement).includes('eks:UpdateClusterVersion'),
    );

    expect(controlPlane).toHaveLength(1);
    expect(controlPlane[0]?.Condition).toEqual({
      StringEqualsIgnoreCase: { 'aws:ResourceTag/fleet-auditor/auto-upgrade': 'true' },
    });
    expect(controlPlane[0]?.Resource).toEqual(
      CHECKED_IN_CONFIG.regions.map((region) => `arn:aws:eks:${region}:${MEMBER}:cluster/*`),
    );
  });

  it.each([
    ['eks:UpdateNodegroupVersion', 'nodegroup/*/*/*'],
    ['eks:UpdateAddon', 'addon/*/*/*'],
  ])('scopes %s by ARN to this account and the audited regions', (action, kind) => {
    const statement = upgradeStatements().find((candidate) => actionsOf(candidate).includes(action));

    expect(statement?.Condition).toBeUndefined();
    expect(statement?.Resource).toEqual(
      CHECKED_IN_CONFIG.regions.map((region) => `arn:aws:eks:${region}:${MEMBER}:${kind}`),
    );
  });

  it('may change nothing but versions: no other write action at all', () => {
    const actions = permissions(roleNamed(app.member, NAMES.upgrade)).flatMap(actionsOf);
    const writes = actions.filter((action) => !/^eks:(List|Describe)[A-Za-z]+$/.test(action));

    expect(writes.sort()).toEqual(['eks:UpdateAddon', 'eks:UpdateClusterVersion', 'eks:UpdateNodegroupVersion']);
  });

  it('writes the trusted ARNs with the partition of the account it lands in when no partition is given', () => {
    const stack = new MemberRolesStack(new App(), 'Member', {
      namespace: 'fleet-auditor',
      hubAccountId: HUB,
      regions: ['eu-west-1'],
      tagPrefix: 'fleet-auditor/',
    });
    const read = roleNamed(Template.fromStack(stack), NAMES.read);

    expect(JSON.stringify(read.AssumeRolePolicyDocument)).toContain('{"Ref":"AWS::Partition"}');
    expect(evaluate(read.AssumeRolePolicyDocument, { 'AWS::Partition': 'aws-us-gov' })).toMatchObject({
      Statement: [{ Principal: { AWS: `arn:aws-us-gov:iam::${HUB}:role/${NAMES.hubAudit}` } }],
    });
  });

  it('follows a custom namespace, tag prefix and partition', () => {
    const stack = new MemberRolesStack(new App(), 'Member', {
      namespace: 'eks-audit',
      hubAccountId: '999999999999',
      regions: ['ap-southeast-2'],
      tagPrefix: 'acme.io/fleet-',
      partition: 'aws-cn',
    });
    const template = Template.fromStack(stack);
    const upgrade = roleNamed(template, 'eks-audit-upgrade');

    expect(statementsOf(upgrade.AssumeRolePolicyDocument)[0]?.Principal).toEqual({
      AWS: 'arn:aws-cn:iam::999999999999:role/eks-audit-hub-upgrade',
    });
    expect(JSON.stringify(upgrade.Policies)).toContain(`"${optInConditionKey('acme.io/fleet-')}":"true"`);
    expect(optInConditionKey('acme.io/fleet-')).toBe('aws:ResourceTag/acme.io/fleet-auto-upgrade');
    roleNamed(template, 'eks-audit-read');
  });
});

describe('MemberRolesStack as a StackSet template', { timeout: SYNTH_TIMEOUT_MS }, () => {
  it('needs no parameters, bootstrap rule or assets, so any account can deploy it as is', () => {
    const template = app.member.toJSON() as Record<string, unknown>;

    expect(template['Parameters']).toBeUndefined();
    expect(template['Rules']).toBeUndefined();
    expect(JSON.stringify(template)).not.toMatch(/cdk-[a-z0-9]+-assets|BootstrapVersion/);
  });

  it('is deployed over the configured OUs by a service-managed, auto-deploying StackSet', () => {
    const config = configWith({
      accounts: { ids: [], organizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-7890abcd'] },
      memberStackSet: { accountId: '999999999999', region: 'us-east-1', callAs: 'DELEGATED_ADMIN' },
    });
    const withStackSet = synthesize(config);
    try {
      withStackSet.memberStackSet?.hasResourceProperties('AWS::CloudFormation::StackSet', {
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        CallAs: 'DELEGATED_ADMIN',
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        StackInstancesGroup: [
          {
            Regions: ['us-east-1'],
            DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-7890abcd'] },
          },
        ],
      });
      const stackSet = Object.values(
        resourcesOf(withStackSet.memberStackSet ?? app.member, 'AWS::CloudFormation::StackSet'),
      )[0];
      const body = JSON.parse(String(stackSet?.Properties['TemplateBody'])) as { Resources: Record<string, unknown> };
      const member = withStackSet.member.toJSON() as { Resources: Record<string, { Properties: unknown }> };

      expect(Object.keys(body.Resources).sort()).toEqual(Object.keys(member.Resources).sort());
      expect(JSON.stringify(body.Resources)).toContain(`role/${NAMES.hubAudit}`);
    } finally {
      rmSync(withStackSet.outdir, { recursive: true, force: true });
    }
  });

  it('renders the same roles and trust as the stack deployed with cdk deploy', () => {
    const body = JSON.parse(
      renderMemberTemplate(
        {
          namespace: CHECKED_IN_CONFIG.namespace,
          hubAccountId: HUB,
          regions: CHECKED_IN_CONFIG.regions,
          tagPrefix: CHECKED_IN_CONFIG.tagPrefix,
          partition: 'aws',
        },
        CDK_CONTEXT,
      ),
    ) as { Resources: Record<string, { Properties: unknown }> };
    const member = app.member.toJSON() as { Resources: Record<string, { Properties: unknown }> };

    for (const [logicalId, resource] of Object.entries(member.Resources)) {
      expect(body.Resources[logicalId]?.Properties).toEqual(resource.Properties);
    }
  });
});
