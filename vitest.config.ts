import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that need a fresh module graph: they set the environment before the modules they test are first
 * imported (Powertools singletons, Lambda entry modules that build their dependencies at cold start).
 */
const ISOLATED = ['test/handlers/nightly-metrics.test.ts', 'test/handlers/nightly-entry.test.ts'];

export default defineConfig({
  test: {
    // The package check packs and installs the tarball (about a minute): `npm run check:package` and CI run it.
    exclude: [...configDefaults.exclude, 'test/package/**'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Vitest's default on 2 cores is 1 worker; 2 keep both busy (much of a test's time is loopback I/O).
    maxWorkers: 2,
    // Generous: a test or hook (e.g. a beforeAll running a whole reference night) on 2 cores shared with other work
    // can take many times its idle duration. These only bound a hang; no test relies on them.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        // Files share their worker's module cache (the AWS SDK, aws-cdk-lib, the simulator are imported once per
        // worker, not once per file): each file builds its own state in hooks and resets what it changes.
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: ISOLATED,
          isolate: false,
          // Compiles the CLI once for the tests that run it as a child process (instead of tsx in every child).
          // A scratch folder for the run (removed at its end) for work shared across the files of a worker.
          globalSetup: ['test/support/compiled-cli-setup.ts', 'test/support/scratch-dir-setup.ts'],
          // Files share the Powertools singletons: they are quieted before any test file imports a handler, so
          // the order of a file's imports never decides how loud they are.
          setupFiles: ['test/handlers/quiet-powertools.ts'],
        },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
    coverage: {
      provider: 'v8',
      include: ['functions/core/**/*.ts'],
      reporter: ['text', 'text-summary'],
      thresholds: { lines: 95, branches: 95 },
    },
  },
});
