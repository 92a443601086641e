import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'synth',
    root: 'synth',
    include: ['**/*.test.ts'],
    testTimeout: 30_000,
  },
});
