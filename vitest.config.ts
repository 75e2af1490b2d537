import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The package check packs and installs the tarball (about a minute): `npm run check:package` and CI run it.
    exclude: [...configDefaults.exclude, 'test/package/**'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Compiles the CLI once for the tests that run it as a child process (instead of tsx in every child).
    globalSetup: ['test/support/compiled-cli-setup.ts'],
    // Generous: a test or hook (e.g. a beforeAll running a whole reference night) on 2 cores shared with other work
    // can take many times its idle duration. These only bound a hang; no test relies on them.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['functions/core/**/*.ts'],
      reporter: ['text', 'text-summary'],
      thresholds: { lines: 95, branches: 95 },
    },
  },
});
