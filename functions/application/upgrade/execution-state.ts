/**
 * The data an upgrade execution carries from state to state (`$` of `statemachines/upgrade-cluster.asl.json`), as
 * zod schemas: each task validates the part it reads, so a definition or wiring bug fails loudly with
 * `UpgradeInputError` instead of acting on a half-read input.
 */
import { z } from 'zod';
import { isVersion } from '../../core/versions.ts';
import { UPGRADE_PHASES, type UpgradePhase } from '../../core/upgrade-plan-steps.ts';
import { UPGRADE_STEPS, type UpgradeStep } from '../../core/upgrade-execution.ts';
import { UpgradeInputError } from './errors.ts';
import { ACCOUNT_ID_PATTERN } from '../../core/identifiers.ts';
import { validationProblems } from '../../core/validation-problems.ts';

const version = z.string().refine(isVersion, { error: 'must be a MAJOR.MINOR version' });
const instant = z.string().refine((text) => !Number.isNaN(Date.parse(text)), { error: 'must be an ISO instant' });

/** The cluster as the dispatcher named it (DESIGN §5.4 `cluster`). */
const clusterRefSchema = z.object({
  accountId: z.string().regex(ACCOUNT_ID_PATTERN),
  region: z.string().min(1),
  name: z.string().min(1),
  arn: z.string().startsWith('arn:'),
  version,
});

/** The execution input (`UpgradeExecutionInput`). */
export const executionInputSchema = z.object({
  executionName: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  cluster: clusterRefSchema,
  targetVersion: version,
  startedAt: instant,
});

/** A finished hop as the upgrade record keeps it. */
const hopRecordSchema = z.object({
  fromVersion: version,
  toVersion: version,
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED']),
  startedAt: instant,
  finishedAt: instant.nullable(),
});

/** `$.upgrade`: where the upgrade stands (written by PreFlight, RecordHop and CheckNextHop). */
export const upgradeProgressSchema = z.object({
  fromVersion: version,
  targetVersion: version,
  path: z.array(version).min(1),
  hop: z.object({ index: z.number().int().min(0), fromVersion: version, toVersion: version, startedAt: instant }),
  hops: z.array(hopRecordSchema),
  done: z.boolean(),
  code: z.string(),
  reason: z.string(),
});

export type UpgradeProgress = z.infer<typeof upgradeProgressSchema>;

const phase = z.enum(UPGRADE_PHASES as [UpgradePhase, ...UpgradePhase[]]);

/** `$.op`: the update a phase started and how polling it goes (written by the Start… and Poll… tasks). */
export const updateOperationSchema = z.object({
  phase,
  done: z.boolean(),
  code: z.string(),
  reason: z.string(),
  /** The EKS call, e.g. `UpdateAddon vpc-cni v1.20.1-eksbuild.1`. */
  call: z.string().nullable(),
  token: z.string().nullable(),
  update: z
    .object({ id: z.string().min(1), nodegroupName: z.string().optional(), addonName: z.string().optional() })
    .nullable(),
  status: z.enum(['InProgress', 'Successful']).nullable(),
  polls: z.number().int().min(0),
  waitSeconds: z.number().int().min(0),
  startedAt: instant.nullable(),
  /** How many times a Successful update was re-planned because its effect was not visible yet. */
  confirmations: z.number().int().min(0),
});

export type UpdateOperation = z.infer<typeof updateOperationSchema>;

/** `$.failure`: what a Catch stores (`Cause` is a JSON string `{errorMessage,…}` from Lambda, plain text locally). */
export const failureSchema = z.object({ Error: z.string(), Cause: z.string().optional() });

/** The failure path's state: the input, whatever progress was made, the caught error and the failed step. */
const failedStateSchema = executionInputSchema.extend({
  upgrade: upgradeProgressSchema.optional(),
  failure: failureSchema,
  failedStep: z.enum(UPGRADE_STEPS as [UpgradeStep, ...UpgradeStep[]]),
});

/** Validates `event` against `schema`; throws UpgradeInputError naming the task and every bad field. */
export function parseTaskInput<S extends z.ZodType>(schema: S, event: unknown, task: string): z.infer<S> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  const problems = validationProblems(result.error, '(input)');
  throw new UpgradeInputError(`${task}: invalid input: ${problems.join('; ')}`);
}

/** The readable message of a caught error's `Cause` (Lambda wraps it as JSON with `errorMessage`). */
export function causeMessage(cause: string | undefined): string {
  if (cause === undefined || cause === '') return 'no detail';
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      const message = (parsed as { errorMessage: unknown }).errorMessage;
      if (typeof message === 'string') return message;
    }
  } catch {
    // not JSON: a plain message, as local runs and States.* errors give it
  }
  return cause;
}

/** Input of the outcome tasks (Record*, Notify*): how the execution ended, with the state it carried. */
export const outcomeEventSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('SUCCEEDED'),
    state: executionInputSchema.extend({ upgrade: upgradeProgressSchema }),
  }),
  z.object({ outcome: z.literal('FAILED'), state: failedStateSchema }),
]);

/** `$.bake`: a hop whose control plane moved and bakes (`BakeState` of core/upgrade-phase.ts). */
export const bakeStateSchema = z.object({
  executionName: z.string().min(1),
  fromVersion: version,
  toVersion: version,
  targetVersion: version,
  startedAt: instant,
  bakeUntil: instant,
  rollbackUntil: instant,
  baselineInsightErrors: z.array(z.string()),
});

/** `$.bakeCheck`: what one bake check found and decided (written by CheckBake). */
export const bakeCheckSchema = z.object({
  action: z.enum(['KEEP_BAKING', 'ROLL_NODES', 'ROLL_BACK']),
  code: z.string(),
  reason: z.string(),
  health: z.object({ verdict: z.enum(['HEALTHY', 'BAD', 'UNKNOWN']), code: z.string(), reason: z.string() }),
  /** The raw `target-version` tag at the check (null: absent): a hold lasts until it changes. */
  targetTag: z.string().nullable(),
  checkedAt: instant,
});

export type BakeCheckResult = z.infer<typeof bakeCheckSchema>;

/**
 * The input of a resume execution (DESIGN §7.1): the baking execution's own input (its name stays the lock holder
 * and the key of its upgrade record), its progress and its bake. The Step Functions execution has a name of its own.
 */
export const resumeInputSchema = executionInputSchema.extend({
  upgrade: upgradeProgressSchema,
  bake: bakeStateSchema,
});
