import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/** `npm run check:package`: only the package check, which packs and installs the tarball (about a minute). */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/package/**/*.test.ts'],
    exclude: configDefaults.exclude,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
