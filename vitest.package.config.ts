import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/** `npm run check:package`: only the package check, which packs and installs the tarball (about a minute). */
// Not the suite's projects (they select the suite's files): this config runs the package check alone.
const { projects: _projects, ...suite } = base.test ?? {};

export default defineConfig({
  ...base,
  test: {
    ...suite,
    include: ['test/package/**/*.test.ts'],
    exclude: configDefaults.exclude,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
