/**
 * The one way the hub builds a Lambda function, so every function gets the same runtime, architecture, bundling
 * and logging, and tests can swap the bundling out (or synthesize with `aws:cdk:bundling-stacks: []`).
 */
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The Lambda runtime of every function: the newest Node.js the toolchain bundles for. */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** esbuild target matching {@link LAMBDA_RUNTIME}. */
export const ESBUILD_TARGET = 'node24';

/** What one function is: the caller decides the code, permissions and settings; the factory how it is built. */
export interface FunctionSpec {
  /** Absolute path of the entry module (it exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /** The function's own role (infra/constructs/hub-roles.ts): only what this function does. */
  readonly role: iam.IRole;
  readonly environment: Readonly<Record<string, string>>;
  readonly logGroup: logs.ILogGroup;
  readonly timeout: Duration;
  readonly memorySize: number;
}

/** Builds one function; the hub stack calls it once per entry module. */
export type FunctionFactory = (scope: Construct, id: string, spec: FunctionSpec) => lambda.IFunction;

/**
 * The production factory: `NodejsFunction`, bundled by the local esbuild (never Docker, so synth works offline)
 * into one minified ESM file with source maps, on ARM64.
 */
export function nodejsFunctionFactory(options: { readonly projectRoot: string }): FunctionFactory {
  return (scope, id, spec) =>
    new NodejsFunction(scope, id, {
      entry: spec.entry,
      handler: 'handler',
      description: spec.description,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      role: spec.role,
      memorySize: spec.memorySize,
      timeout: spec.timeout,
      logGroup: spec.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...spec.environment },
      projectRoot: options.projectRoot,
      depsLockFilePath: join(options.projectRoot, 'package-lock.json'),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: ESBUILD_TARGET,
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // The SDK is bundled too: the versions the tests ran are the versions that run.
        bundleAwsSDK: true,
        externalModules: [],
        // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
        banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
}

/** Default timeout of a function whose entry has no override. */
export const DEFAULT_TIMEOUT = Duration.minutes(5);
