import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'service',
    root: 'service',
    include: ['**/*.test.ts'],
    // One DynamoDB Local for the project; every test file creates its own table in it.
    globalSetup: ['test/global-setup.ts'],
    // The SDK warns once per process that it will need Node 22; noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
