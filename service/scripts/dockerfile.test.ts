import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envOf, parseInstructions, parseStages, type Stage } from './dockerfile';

const root = new URL('../../', import.meta.url);
const dockerfile = readFileSync(new URL('service/Dockerfile', root), 'utf8');
const dockerignore = readFileSync(new URL('.dockerignore', root), 'utf8');
const stages = parseStages(dockerfile);
const runtime = stages.at(-1) as Stage;
const build = stages[0] as Stage;

const argsOf = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile parser', () => {
  it('should join continuation lines, skip comments and resolve ARG defaults in FROM', () => {
    const text = [
      'ARG IMG=node:24-slim',
      '# c',
      'FROM $IMG AS b',
      'RUN a \\',
      '  # inner',
      '  b',
      'FROM b',
      'USER 1',
    ].join('\n');
    expect(parseInstructions(text).map((i) => [i.keyword, i.args, i.line])).toEqual([
      ['ARG', 'IMG=node:24-slim', 1],
      ['FROM', '$IMG AS b', 3],
      ['RUN', 'a b', 4],
      ['FROM', 'b', 7],
      ['USER', '1', 8],
    ]);
    expect(parseStages(text).map((s) => [s.from, s.name, s.instructions.length])).toEqual([
      ['node:24-slim', 'b', 1],
      ['b', undefined, 1],
    ]);
  });
});

describe('service/Dockerfile', () => {
  it('should be multi-stage on Node 24 images pinned by tag', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toMatch(/^node:24\.\d+\.\d+-[a-z]+-slim$/);
    expect(build.name).toBe('build');
  });

  it('should install from the lockfile and bundle with build:service in the build stage', () => {
    const runs = argsOf(build, 'RUN');
    expect(runs.some((r) => /^npm ci\b/.test(r))).toBe(true);
    expect(runs).toContain('npm run build:service');
  });

  it('should run as a numeric non-root user', () => {
    const users = argsOf(runtime, 'USER');
    expect(users).toHaveLength(1);
    const [uid, gid] = (users[0] ?? '').split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(gid).toMatch(/^\d+$/);
    expect(Number(uid)).not.toBe(0);
  });

  it('should start node as PID 1 with an exec-form CMD on the copied bundle', () => {
    const cmds = argsOf(runtime, 'CMD');
    expect(cmds).toHaveLength(1);
    const cmd = JSON.parse(cmds[0] ?? '') as string[];
    expect(cmd).toEqual(['node', 'main.mjs']);
    expect(argsOf(runtime, 'ENTRYPOINT')).toEqual([]);
    expect(argsOf(runtime, 'WORKDIR')).toEqual(['/app']);
    expect(argsOf(runtime, 'COPY')).toContain('--from=build /src/build/service/ ./');
  });

  it('should ship only the bundle and the page, configured for production on port 1111 (metrics on 9464)', () => {
    const copies = argsOf(runtime, 'COPY');
    expect(copies.every((c) => c.startsWith('--from=build '))).toBe(true);
    expect(copies.some((c) => c.includes('node_modules'))).toBe(false);
    expect(copies).toContain('--from=build /src/service/public/ ./public/');
    const env = envOf(runtime);
    expect(Object.fromEntries(env)).toEqual({
      NODE_ENV: 'production',
      PORT: '1111',
      METRICS_PORT: '9464',
      PUBLIC_DIR: '/app/public',
    });
    expect(argsOf(runtime, 'EXPOSE')).toEqual(['1111 9464']);
  });

  it('should send only the sources the build stage copies as build context', () => {
    const lines = dockerignore.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines[0]).toBe('*');
    const contextSources = argsOf(build, 'COPY')
      .filter((c) => !c.startsWith('--from'))
      .flatMap((c) => c.split(/\s+/).slice(0, -1));
    expect(contextSources).toEqual(['package.json', 'package-lock.json', 'tsconfig.json', 'service/']);
    for (const source of contextSources) expect(lines).toContain(`!${source}`);
    expect(lines).toContain('service/**/*.test.ts');
  });
});
