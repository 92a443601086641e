import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from './main';

const REPO = join(__dirname, '..', '..');
const LAUNCHER = join(REPO, 'synth', 'bin', 'synth.mjs');
let work: string;

/** Runs the real (bundled) CLI against the temp copy of environments/ with --out to a temp dist. */
function synth(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    [LAUNCHER, '--environments', join(work, 'environments'), '--out', join(work, 'dist'), ...args],
    { cwd: work, encoding: 'utf8', timeout: 60_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under dist/ and environments/schema.json with its bytes. */
function tree(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(p, 'utf8');
    }
  };
  walk(join(work, 'dist'), 'dist/');
  out['environments/schema.json'] = readFileSync(join(work, 'environments', 'schema.json'), 'utf8');
  return out;
}

function edit(file: string, from: string, to: string): void {
  const path = join(work, 'environments', file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
  writeFileSync(path, text.replace(from, to));
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'synth-cli-'));
  cpSync(join(REPO, 'environments'), join(work, 'environments'), { recursive: true });
  // The render needs the Argo CD repository setting beside environments/, as in the repo.
  cpSync(join(REPO, 'argocd'), join(work, 'argocd'), { recursive: true });
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('synth CLI', () => {
  it('should render the committed environments exactly as committed in dist/', () => {
    expect(synth().code).toBe(0);
    for (const env of ['dev', 'staging', 'prod']) {
      const committed = readdirSync(join(REPO, 'dist', env)).sort();
      expect(readdirSync(join(work, 'dist', env)).sort()).toEqual(committed);
      for (const f of committed) {
        expect(readFileSync(join(work, 'dist', env, f), 'utf8')).toBe(
          readFileSync(join(REPO, 'dist', env, f), 'utf8'),
        );
      }
    }
  });

  it('should produce identical bytes on a second run, and report no changes', () => {
    expect(synth().code).toBe(0);
    const first = tree();
    const second = synth();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('no changes');
    expect(tree()).toEqual(first);
  });

  it('should pass --check when up to date and fail with a readable diff when stale, writing nothing', () => {
    expect(synth().code).toBe(0);
    expect(synth('--check').code).toBe(0);
    edit('dev.yaml', 'logLevel: debug', 'logLevel: info');
    const before = tree();
    const check = synth('--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('changed: dist/dev/configmap-guestlist.yaml');
    expect(check.stderr).toContain('-  LOG_LEVEL: debug\n+  LOG_LEVEL: info');
    expect(tree()).toEqual(before);
  });

  it('should render only the named environment with --env', () => {
    const r = synth('--env', 'prod');
    expect(r.code).toBe(0);
    expect(readdirSync(join(work, 'dist'))).toEqual(['prod']);
    expect(synth('--env', 'nope').stderr).toContain(
      '--env "nope": no such environment (known: argocd, dev, prod, staging)',
    );
  });

  it('should render a new personal environment from one new file', () => {
    writeFileSync(
      join(work, 'environments', 'alice.yaml'),
      '# yaml-language-server: $schema=./schema.json\nname: alice\nimage: { tag: "0.1.0" }\naws: { roleArn: "arn:aws:iam::111111111111:role/guestlist-alice" }\n',
    );
    expect(synth().code).toBe(0);
    expect(readdirSync(join(work, 'dist', 'alice'))).toContain('deployment-guestlist.yaml');
    expect(readFileSync(join(work, 'dist', 'alice', 'configmap-guestlist.yaml'), 'utf8')).toContain(
      'DDB_TABLE: GuestList-alice',
    );
    expect(readFileSync(join(work, 'dist', 'argocd', 'application-guestlist-alice.yaml'), 'utf8')).toContain(
      'dist/alice',
    );
  });

  it('should remove the file of an object that is no longer rendered', () => {
    expect(synth().code).toBe(0);
    edit('dev.yaml', 'ingress:\n  enabled: true', 'ingress:\n  enabled: false');
    expect(synth().code).toBe(0);
    expect(readdirSync(join(work, 'dist', 'dev'))).not.toContain('ingress-guestlist.yaml');
  });

  it('should report config errors of every file, exit 1 and write nothing', () => {
    expect(synth().code).toBe(0);
    const before = tree();
    edit('prod.yaml', 'tag: "0.1.0"', 'tag: latest');
    edit('dev.yaml', 'logLevel: debug', 'logLevel: loud');
    const r = synth();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'environments/dev.yaml:18:11 logLevel: "loud" must be one of: "debug", "info", "warn", "error"\n' +
        'environments/prod.yaml:7:8 image.tag: "latest" is not allowed (pin a version; the cluster would never notice a new image)\n' +
        'synth: 2 error(s); nothing was written',
    );
    expect(tree()).toEqual(before);
  });

  it('should stop at the policy gate with the environment, object, rule and key, writing nothing', () => {
    expect(synth().code).toBe(0);
    const before = tree();
    edit(
      'prod.yaml',
      '  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n',
      '',
    );
    const r = synth();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'prod: Deployment/guestlist [image-digest] container "guestlist" image "registry.example.com/guestlist:0.1.0" is not pinned by digest, but imagePolicy.requireDigest is true (change image.digest in environments/prod.yaml)',
    );
    expect(tree()).toEqual(before);
  });

  it('should accept a waiver with a reason and report the waived violation', () => {
    edit(
      'prod.yaml',
      '  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n',
      '',
    );
    writeFileSync(
      join(work, 'environments', 'prod.yaml'),
      `${readFileSync(join(work, 'environments', 'prod.yaml'), 'utf8')}waivers:\n  - rule: image-digest\n    reason: first release is built before the digest step exists\n`,
    );
    const r = synth();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('prod: Deployment/guestlist [image-digest] waived:');
  });

  it('should leave dist/ exactly as it was when a write fails between folders', () => {
    expect(synth().code).toBe(0);
    edit('dev.yaml', 'logLevel: debug', 'logLevel: warn');
    edit('prod.yaml', 'logLevel: warn', 'logLevel: error');
    const before = tree();
    const errors: string[] = [];
    const io = { out: () => {}, err: (t: string) => errors.push(t) };
    const fail = (_path: string, index: number) => {
      if (index === 1) throw new Error('injected failure after the first folder was swapped');
    };
    const args = ['--environments', join(work, 'environments'), '--out', join(work, 'dist')];
    expect(main(args, io, { beforeSwap: fail })).toBe(1);
    expect(errors.join('\n')).toContain('injected failure after the first folder was swapped');
    expect(tree()).toEqual(before);
    expect(readdirSync(work).sort()).toEqual(['argocd', 'dist', 'environments']);
  });
});
