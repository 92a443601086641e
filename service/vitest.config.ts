import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'service',
    root: 'service',
    include: ['**/*.test.ts'],
    // One DynamoDB Local for the project; every test file creates its own table in it.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
