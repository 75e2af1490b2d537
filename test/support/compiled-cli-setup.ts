/**
 * Vitest global set-up: compiles the CLI once per test run, so the tests that start `fleet-auditor` as a child
 * process run JavaScript instead of type-stripping every source file through tsx in every child (seconds each).
 *
 * The layout is the shipped package's: the real `bin/fleet-auditor.js`, `dist/cli/main.js`, `package.json`,
 * `statemachines/` and `examples/`. With no `functions/` folder beside it, the bin loads the compiled CLI, as in an
 * installed package. `dist/cli/main.js` is one esbuild bundle of the CLI and its dependencies (as the Lambda
 * functions are bundled), which loads faster than thousands of modules; dynalite stays in node_modules (the CLI
 * loads it through `createRequire`, and its LevelDB binding is native).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the compiled package's `bin/fleet-auditor.js`. */
    compiledCliBin: string;
  }
}

const ROOT = new URL('../../', import.meta.url).pathname;
/** The folders built by this process (one per vitest project that uses this set-up). */
const dirs: string[] = [];

/** Builds the compiled package into a temporary folder and provides its bin's path to the tests. */
export async function setup(project: TestProject): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-auditor-cli-'));
  dirs.push(dir);
  await build({
    entryPoints: [join(ROOT, 'functions/cli/main.ts')],
    outfile: join(dir, 'dist/cli/main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Bundled CommonJS dependencies call `require`: give the ES module bundle one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(ROOT, 'bin/fleet-auditor.js'), join(dir, 'bin/fleet-auditor.js'));
  for (const entry of ['package.json', 'statemachines', 'examples', 'node_modules']) {
    symlinkSync(join(ROOT, entry), join(dir, entry));
  }
  project.provide('compiledCliBin', join(dir, 'bin/fleet-auditor.js'));
}

/** Removes the compiled packages. */
export function teardown(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
