import { dirname } from 'node:path';
import { defineConfig } from 'vitest/config';

// One vitest run, one project per top-level package; each project owns its setup.
export default defineConfig({
  test: {
    projects: [
      'service/vitest.config.ts',
      'synth/vitest.config.ts',
      // Repository-level checks (workflows, CI entry point, README commands).
      {
        test: {
          name: 'repo',
          include: ['.github/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/docs/**/*.test.ts'],
          // As in synth/vitest.config.ts: the CLI's entry starts the `node` on PATH, this one.
          env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
        },
      },
    ],
  },
});
