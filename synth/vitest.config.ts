import { dirname } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'synth',
    root: 'synth',
    include: ['**/*.test.ts'],
    testTimeout: 30_000,
    // The CLI's entry (sh synth/bin/synth) starts the `node` on PATH: the Node running the tests comes first, so
    // the snapshot it starts is the one built for this Node.
    env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
  },
});
