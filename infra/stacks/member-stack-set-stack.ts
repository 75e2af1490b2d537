/**
 * The member roles as a service-managed StackSet over organizational units: deployed once in the Organizations
 * management account (or a StackSets delegated administrator), it creates the two roles in every account of the
 * OUs, and in every account that joins them later.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnOutput, CliCredentialsStackSynthesizer, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import type { Construct } from 'constructs';
import { MemberRolesStack } from './member-roles-stack.ts';
import type { MemberRolesStackProps } from './member-roles-stack.ts';

/** Largest TemplateBody CloudFormation accepts inline. */
const MAX_TEMPLATE_BODY_BYTES = 51_200;

/**
 * The member-roles template as JSON text, synthesized on its own (no assets, no bootstrap rule, no analytics
 * resource) exactly as `MemberRolesStack` renders it, for use as a StackSet's TemplateBody. Pass the app's feature
 * flags (`@aws-cdk/...` context) so the text matches the stack `cdk deploy` would deploy.
 */
export function renderMemberTemplate(
  props: Omit<MemberRolesStackProps, 'env'>,
  featureFlags: Readonly<Record<string, unknown>> = {},
): string {
  const outdir = mkdtempSync(join(tmpdir(), 'fleet-auditor-member-'));
  try {
    const context = Object.fromEntries(Object.entries(featureFlags).filter(([key]) => key.startsWith('@aws-cdk/')));
    const app = new App({ outdir, analyticsReporting: false, context });
    const stack = new MemberRolesStack(app, 'Member', props);
    const template: unknown = app.synth().getStackArtifact(stack.artifactId).template;
    const body = JSON.stringify(template);
    if (Buffer.byteLength(body) > MAX_TEMPLATE_BODY_BYTES) {
      throw new RangeError(`member template is ${Buffer.byteLength(body)} bytes, over the inline TemplateBody limit`);
    }
    return body;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Where the StackSet deploys the member-roles template, and as whom it is created. */
export interface MemberStackSetStackProps extends StackProps {
  readonly namespace: string;
  readonly organizationalUnitIds: readonly string[];
  /** Region of the stack instances: IAM is global, so one region is enough. */
  readonly instanceRegion: string;
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
  /** The member-roles template (see {@link renderMemberTemplate}). */
  readonly templateBody: string;
}

/** A service-managed, auto-deploying StackSet of the member-roles template over the configured OUs. */
export class MemberStackSetStack extends Stack {
  readonly stackSet: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberStackSetStackProps) {
    // No assets: deployable with the management account's own credentials, without bootstrapping it.
    super(scope, id, { synthesizer: new CliCredentialsStackSynthesizer(), ...props });
    this.stackSet = new cloudformation.CfnStackSet(this, 'MemberRoles', {
      stackSetName: `${props.namespace}-member-roles`,
      description: `EKS Fleet Auditor (${props.namespace}): read and upgrade roles in every member account`,
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: props.callAs,
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        regionConcurrencyType: 'PARALLEL',
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
      },
      stackInstancesGroup: [
        {
          regions: [props.instanceRegion],
          deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] },
        },
      ],
      templateBody: props.templateBody,
    });
    new CfnOutput(this, 'StackSetName', { value: `${props.namespace}-member-roles` });
  }
}
