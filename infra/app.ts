/**
 * The CDK app (`cdk.json` → `node --import tsx infra/app.ts`): reads the configuration from context, adds every
 * stack and runs the cdk-nag AwsSolutions checks. A configuration error (or a
 * state machine that needs a substitution the stacks do not provide) ends the synth with a one-paragraph reason.
 */
import { App } from 'aws-cdk-lib';
import { ConfigError, configFromContext } from './config.ts';
import { DefinitionError } from './definitions.ts';
import { addAwsSolutionsChecks, addFleetAuditorStacks } from './fleet-auditor-app.ts';

const app = new App();
try {
  addFleetAuditorStacks(app, configFromContext(app));
  addAwsSolutionsChecks(app);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof DefinitionError)) throw error;
  console.error(error.message);
  process.exit(2);
}
