import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['gateway/**/*.test.ts', 'drivers/**/*.test.ts', 'models/**/*.test.ts', 'scripts/**/*.test.ts', 'flows/**/*.test.ts', 'systemd/**/*.test.ts'],
    // Tests start real brokers, child gateways and browsers: generous but bounded.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
