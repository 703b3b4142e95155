import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start daemons with worker threads; files run in parallel, tests in
    // a file in order. Timeouts bound a hung daemon; they are not speed claims.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
