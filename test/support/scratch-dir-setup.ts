/**
 * Vitest global set-up: one scratch folder for the whole test run, removed at its end. Files that share work across
 * a worker (an app synthesized once) write there, since a worker may be stopped without running exit handlers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of a folder that lives as long as the test run. */
    scratchDir: string;
  }
}

/** The folders made by this process (one per vitest project that uses this set-up). */
const dirs: string[] = [];

/** Makes the scratch folder and provides its path to the tests. */
export function setup(project: TestProject): void {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-auditor-run-'));
  dirs.push(dir);
  project.provide('scratchDir', dir);
}

/** Removes the scratch folders. */
export function teardown(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
