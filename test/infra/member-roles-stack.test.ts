import { rmSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_NAMESPACE_LENGTH, roleNames } from '../../functions/core/naming.ts';
import { PROJECT_ROOT } from '../../infra/fleet-auditor-app.ts';
import { hubRolesAssuming } from '../../infra/function-access.ts';
import {
  EKS_READ_ACTIONS,
  EKS_UPGRADE_ACTIONS,
  MemberRolesStack,
  optInConditionKey,
} from '../../infra/stacks/member-roles-stack.ts';
import { renderMemberTemplate } from '../../infra/stacks/member-stack-set-stack.ts';
import {
  CDK_CONTEXT,
  CHECKED_IN_CONFIG,
  MEMBER_PSEUDO,
  actionsOf,
  configWith,
  evaluate,
  resourcesOf,
  sharedSynthesis,
  statementsOf,
  synthesize,
  SYNTH_TIMEOUT_MS,
} from './infra-fixtures.ts';
import type { Statement, SynthesizedApp } from './infra-fixtures.ts';

const HUB = CHECKED_IN_CONFIG.hubAccountId;
const MEMBER = MEMBER_PSEUDO['AWS::AccountId'] ?? '';
const NAMES = roleNames(CHECKED_IN_CONFIG.namespace);
const MEMBER_PROPS = {
  namespace: 'fleet-auditor',
  hubAccountId: HUB,
  organizationId: null,
  upgrades: true,
  regions: ['eu-west-1', 'us-east-1'],
  tagPrefix: 'fleet-auditor/',
} as const;

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

/** The principal ARNs the statements allow `action` to, sorted. */
function trustedBy(statements: readonly Statement[], action: string): string[] {
  return statements
    .filter((statement) => actionsOf(statement).includes(action))
    .flatMap((statement) => {
      const aws = (statement.Principal as { AWS: string | string[] }).AWS;
      return Array.isArray(aws) ? aws : [aws];
    })
    .sort();
}

function permissions(role: RoleProperties): Statement[] {
  return role.Policies.flatMap((policy) => statementsOf(evaluate(policy.PolicyDocument)));
}

let app: SynthesizedApp;
// The first synthesis of a worker loads all of aws-cdk-lib: seconds, more on a busy machine.
beforeAll(() => {
  app = sharedSynthesis();
}, 120_000);

describe('MemberRolesStack trust', () => {
  const hubArn = (name: string): string => `arn:aws:iam::${HUB}:role/${name}`;

  it.each([
    ['read role', NAMES.read, hubRolesAssuming(CHECKED_IN_CONFIG.namespace, 'read')],
    ['upgrade role', NAMES.upgrade, hubRolesAssuming(CHECKED_IN_CONFIG.namespace, 'upgrade')],
  ])(
    'lets only the exact hub function role ARNs assume the %s, from the hub account, with a SourceIdentity',
    (_label, member, hubRoles) => {
      const trust = statementsOf(evaluate(roleNamed(app.member, member).AssumeRolePolicyDocument));
      const conditions = {
        StringEquals: { 'aws:PrincipalAccount': HUB },
        Null: { 'sts:SourceIdentity': 'false' },
      };

      expect(hubRoles.length).toBeGreaterThan(0);
      expect(trust.every((statement) => statement.Effect === 'Allow')).toBe(true);
      expect(trust.map((statement) => statement.Condition)).toEqual(trust.map(() => conditions));
      expect([...new Set(trust.flatMap(actionsOf))].sort()).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity']);
      expect(trustedBy(trust, 'sts:AssumeRole')).toEqual(hubRoles.map(hubArn));
      expect(trustedBy(trust, 'sts:SetSourceIdentity')).toEqual(hubRoles.map(hubArn));
    },
  );

  it('adds aws:PrincipalOrgID when the organization is configured', () => {
    const stack = new MemberRolesStack(new App(), 'Member', {
      ...MEMBER_PROPS,
      organizationId: 'o-a1b2c3d4e5',
    });
    const trust = statementsOf(roleNamed(Template.fromStack(stack), NAMES.read).AssumeRolePolicyDocument);

    for (const statement of trust) {
      expect(statement.Condition?.['StringEquals']).toEqual({
        'aws:PrincipalAccount': HUB,
        'aws:PrincipalOrgID': 'o-a1b2c3d4e5',
      });
    }
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

    expect(hubRoleNames).toEqual(
      expect.arrayContaining([
        ...hubRolesAssuming(CHECKED_IN_CONFIG.namespace, 'read'),
        ...hubRolesAssuming(CHECKED_IN_CONFIG.namespace, 'upgrade'),
      ]),
    );
    expect(hubRolesAssuming(CHECKED_IN_CONFIG.namespace, 'read')).toEqual([NAMES.hubAudit]);
  });

  it('fits IAM: every hub role name of the longest namespace is at most 64 characters', () => {
    const namespace = 'n'.repeat(MAX_NAMESPACE_LENGTH);
    const names = [...hubRolesAssuming(namespace, 'read'), ...hubRolesAssuming(namespace, 'upgrade')];

    for (const name of names) expect(name.length).toBeLessThanOrEqual(64);
  });
});

describe('MemberRolesStack read role', () => {
  it('may only List and Describe EKS resources', () => {
    const statements = permissions(roleNamed(app.member, NAMES.read));
    const actions = statements.flatMap(actionsOf);

    expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
    expect(actions.every((action) => /^eks:(List|Describe)[A-Za-z]+$/.test(action))).toBe(true);
    expect(actions.sort()).toEqual([...EKS_READ_ACTIONS].sort());
  });
});

describe('MemberRolesStack upgrade role', { timeout: SYNTH_TIMEOUT_MS }, () => {
  const upgradeStatements = (): Statement[] =>
    permissions(roleNamed(app.member, NAMES.upgrade)).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('eks:Update')),
    );

  it.each([
    ['eks:UpdateClusterVersion', 'cluster/*'],
    ['eks:UpdateNodegroupVersion', 'nodegroup/*/*/*'],
    ['eks:UpdateAddon', 'addon/*/*/*'],
  ])('allows %s only on a resource that itself carries <prefix>auto-upgrade = true, exactly', (action, kind) => {
    const statements = upgradeStatements().filter((statement) => actionsOf(statement).includes(action));

    expect(statements).toHaveLength(1);
    expect(statements[0]?.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/fleet-auditor/auto-upgrade': 'true' },
    });
    expect(statements[0]?.Resource).toEqual(
      CHECKED_IN_CONFIG.regions.map((region) => `arn:aws:eks:${region}:${MEMBER}:${kind}`),
    );
  });

  it('has no EKS write statement without the exact opt-in tag condition', () => {
    const statements = permissions(roleNamed(app.member, NAMES.upgrade));
    const writes = statements.filter((statement) =>
      actionsOf(statement).some(
        (action) => action.startsWith('eks:') && !/^eks:(List|Describe)[A-Za-z]+$/.test(action),
      ),
    );

    expect(writes.length).toBe(Object.keys(EKS_UPGRADE_ACTIONS).length);
    for (const statement of writes) {
      expect(statement.Condition, JSON.stringify(statement)).toEqual({
        StringEquals: { [optInConditionKey(CHECKED_IN_CONFIG.tagPrefix)]: 'true' },
      });
    }
  });

  it('covers every EKS write the upgrade adapter sends', () => {
    const source = readFileSync(join(PROJECT_ROOT, 'functions', 'adapters', 'eks-upgrader.ts'), 'utf8');
    const writes = [...source.matchAll(/\bnew (Update[A-Za-z]+|Create[A-Za-z]+|Delete[A-Za-z]+)Command\(/g)].map(
      (match) => `eks:${match[1] ?? ''}`,
    );

    expect(writes.length).toBeGreaterThan(0);
    expect([...new Set(writes)].sort()).toEqual(Object.keys(EKS_UPGRADE_ACTIONS).sort());
  });

  it('may change nothing but versions: no other write action at all', () => {
    const actions = permissions(roleNamed(app.member, NAMES.upgrade)).flatMap(actionsOf);
    // Reads: EKS List/Describe, and the alarm state the bake's health check reads (cloudwatch:DescribeAlarms).
    const writes = actions.filter((action) => !/^(eks:(List|Describe)|cloudwatch:Describe)[A-Za-z]+$/.test(action));

    expect(writes.sort()).toEqual(['eks:UpdateAddon', 'eks:UpdateClusterVersion', 'eks:UpdateNodegroupVersion']);
    expect(actions).toContain('cloudwatch:DescribeAlarms');
  });

  it('writes the trusted ARNs with the partition of the account it lands in when no partition is given', () => {
    const stack = new MemberRolesStack(new App(), 'Member', { ...MEMBER_PROPS, regions: ['eu-west-1'] });
    const read = roleNamed(Template.fromStack(stack), NAMES.read);

    expect(JSON.stringify(read.AssumeRolePolicyDocument)).toContain('{"Ref":"AWS::Partition"}');
    expect(evaluate(read.AssumeRolePolicyDocument, { 'AWS::Partition': 'aws-us-gov' })).toMatchObject({
      Statement: [{ Principal: { AWS: `arn:aws-us-gov:iam::${HUB}:role/${NAMES.hubAudit}` } }, {}],
    });
  });

  it('follows a custom namespace, tag prefix and partition', () => {
    const stack = new MemberRolesStack(new App(), 'Member', {
      ...MEMBER_PROPS,
      namespace: 'eks-audit',
      hubAccountId: '999999999999',
      regions: ['ap-southeast-2'],
      tagPrefix: 'acme.io/fleet-',
      partition: 'aws-cn',
    });
    const template = Template.fromStack(stack);
    const upgrade = roleNamed(template, 'eks-audit-upgrade');

    expect(trustedBy(statementsOf(upgrade.AssumeRolePolicyDocument), 'sts:AssumeRole')).toEqual(
      hubRolesAssuming('eks-audit', 'upgrade').map((name) => `arn:aws-cn:iam::999999999999:role/${name}`),
    );
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
      accounts: {
        ids: [],
        organizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-7890abcd'],
        organizationId: 'o-a1b2c3d4e5',
      },
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
          organizationId: CHECKED_IN_CONFIG.accounts.organizationId,
          upgrades: true,
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

describe('MemberRolesStack of an audit-only deployment', () => {
  it('has the read role and no upgrade role at all', () => {
    const template = Template.fromStack(
      new MemberRolesStack(new App(), 'Member', { ...MEMBER_PROPS, upgrades: false }),
    );
    const names = Object.values(resourcesOf(template, 'AWS::IAM::Role')).map((role) => role.Properties['RoleName']);

    expect(names).toEqual([NAMES.read]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/eks:Update/);
  });
});
