import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readTree, runCli } from '../../test/cli';
import { environmentData } from '../../test/schema-arbitrary';

const REPO = join(__dirname, '..', '..', '..');
let work: string;
let pristine: string;

/** Every file under dist/ and environments/ of `dir` with its bytes. */
const snapshot = (dir: string) => readTree(dir, ['dist', 'environments']);

/** Nudges generated data towards files that pass (so both outcomes are common), or leaves it raw. */
const plausible = (data: Record<string, unknown>) => {
  const out: Record<string, unknown> = { ...data, name: 'prop' };
  out.image = { ...(data.image as object), tag: '1.2.3' };
  delete out.imagePolicy;
  delete out.promotion;
  delete out.namespace;
  delete out.waivers;
  // Its refinements (interval not longer than soak, unique query names) are rarely met by random data.
  delete out.verification;
  // The rendered role and tables need an account: every plausible file names the repository's nonprod entry.
  out.cluster = 'nonprod';
  // Random CIDRs are mostly wider than the source-ranges rule allows; the ALB subnets are narrow.
  if (typeof data.ingress === 'object' && data.ingress !== null) {
    // No group: a group is shared with dev and staging's ALB only when listeners, scheme and sources agree.
    const { group: _group, ...ingress } = data.ingress as Record<string, unknown>;
    out.ingress = { ...ingress, sourceCidrs: ['10.0.0.0/24'] };
  }
  return out;
};

/** Ways to break a file: unknown or misspelled keys, a wrong type, a missing key, damaged YAML. */
const breakage = fc.oneof(
  fc.constant((d: Record<string, unknown>) => ({ ...d, logLevl: 'debug' })),
  fc.constant((d: Record<string, unknown>) => ({ ...d, image: { ...(d.image as object), digets: 'x' } })),
  fc.constant((d: Record<string, unknown>) => ({ ...d, replicas: 'two' })),
  fc.constant((d: Record<string, unknown>) => {
    const { aws: _aws, ...rest } = d;
    return rest;
  }),
  fc.constant((d: Record<string, unknown>) => ({ ...d, autoscaling: [1, 2] })),
);

const damage = fc.tuple(
  fc.nat(),
  fc.constantFrom(':', '[', '{', '"', '\t', '&a', '*a', '- ', '\n  ', '!!binary '),
);

/** `arbitrary` in `tenths` of the cases, else undefined. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, tenths: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 10 - tenths }, { arbitrary, weight: tenths });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'synth-property-'));
  for (const dir of ['environments', 'argocd', 'dist'])
    cpSync(join(REPO, dir), join(work, dir), { recursive: true });
  pristine = mkdtempSync(join(tmpdir(), 'synth-property-pristine-'));
  cpSync(join(work, 'dist'), join(pristine, 'dist'), { recursive: true });
  cpSync(join(work, 'environments'), join(pristine, 'environments'), { recursive: true });
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(pristine, { recursive: true, force: true });
});

describe('synth on random environment files (generated from the zod schema)', () => {
  it('should never crash, and never change dist/ when a file is refused', async () => {
    const outcomes = { ok: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        environmentData(),
        fc.integer({ min: 0, max: 9 }).map((n) => n < 7),
        sometimes(breakage, 3),
        sometimes(damage, 2),
        fc.constantFrom('.yaml', '.yml'),
        async (raw, nudge, broken, damaged, ext) => {
          let data = nudge ? plausible(raw) : raw;
          if (broken) data = broken(data);
          let text = stringify(data);
          if (damaged) {
            const at = damaged[0] % (text.length + 1);
            text = text.slice(0, at) + damaged[1] + text.slice(at);
          }
          const file = join(work, 'environments', `prop${ext}`);
          writeFileSync(file, text);
          const before = snapshot(work);
          try {
            const r = await runCli([], { cwd: work });
            expect(r.output).not.toContain('internal error');
            expect(r.output).not.toMatch(/^\s+at /m);
            expect([0, 1]).toContain(r.code);
            if (r.code === 1) {
              expect(snapshot(work)).toEqual(before);
              outcomes.refused++;
            } else {
              expect((await runCli(['--check'], { cwd: work })).code).toBe(0);
              outcomes.ok++;
            }
          } finally {
            rmSync(file);
            rmSync(join(work, 'dist'), { recursive: true, force: true });
            cpSync(join(pristine, 'dist'), join(work, 'dist'), { recursive: true });
            cpSync(join(pristine, 'environments', 'schema.json'), join(work, 'environments', 'schema.json'));
          }
        },
      ),
      // SYNTH_PROPERTY_RUNS=500 (and SYNTH_PROPERTY_SEED=random) for a longer hunt; 30 runs of a fixed seed keep
      // the suite's share to a few seconds and its outcome counts below the same on every run.
      {
        numRuns: Number(process.env.SYNTH_PROPERTY_RUNS ?? 30),
        ...(process.env.SYNTH_PROPERTY_SEED === 'random'
          ? {}
          : { seed: Number(process.env.SYNTH_PROPERTY_SEED ?? 20261207) }),
      },
    );
    // Both outcomes must actually happen, or the property says little.
    expect(outcomes.ok).toBeGreaterThan(3);
    expect(outcomes.refused).toBeGreaterThan(3);
  }, 120_000);
});
