import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['blocks/**/*.test.ts', 'scripts/**/*.test.ts', 'server/**/*.test.ts', 'db/**/*.test.ts', 'bin/**/*.test.ts', 'app/**/*.test.ts'],
    // Database and training tests open PGlite or spawn trainers: give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // Starts a throwaway PostgreSQL when none is running (testing/postgres-server.ts).
    globalSetup: ['testing/postgres-server.ts'],
  },
});
