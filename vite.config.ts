import { defineConfig } from 'vitest/config';

// One test config for the whole repo: unit tests sit beside the code, cross-part tests in tests/.
export default defineConfig({
  test: {
    include: [
      'server/src/**/*.test.ts',
      'shared/src/**/*.test.ts',
      'db/**/*.test.ts',
      'widget/src/**/*.test.ts',
      'web/src/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    // Browser journeys run dozens of page steps; on a loaded 2-core machine a minute was too tight for a
    // few of them (the sign-up to two-factor journey timed out at 60 s in CI). Steps keep their own waits.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // PGlite boots a WASM Postgres per test file; two cores carry two at once comfortably.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
