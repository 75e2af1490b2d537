/**
 * Lambda entry of the hourly bake-check schedule: starts the resume executions of baking upgrades through Step
 * Functions. Dependencies are built once per container from the validated environment.
 */
import { readEnvironment } from '../environment.ts';
import { nightlyDepsFromEnvironment } from '../nightly/aws-deps.ts';
import { createResumeBakesHandler } from '../upgrade-handlers.ts';

/** The `ResumeBakes` Lambda handler. */
export const handler = createResumeBakesHandler(nightlyDepsFromEnvironment(readEnvironment()));
