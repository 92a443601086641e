#!/usr/bin/env node
// Benchmark of `npm run synth` end to end (all gates on) against `kubectl kustomize` on an equivalent base +
// overlays in one process, in the same run, for 1, 10, 100 and 1,000 environments, plus the committed ones
// against the loop a kustomize user runs for them (one `kubectl kustomize` per overlay).
// Also compares synth's YAML emitter with the `yaml` package's stringify (bench-emit.ts).
// Writes build/bench-synth.json. Usage: npm run bench:synth [-- --runs 5 --pair-runs 15 --sizes 1,10,100,1000]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './bench-args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = benchArgs('bench:synth', {
  runs: { default: 5, min: 1, max: 100 },
  'pair-runs': { default: 15, min: 1, max: 200 },
  sizes: { default: '1,10,100,1000', list: true, min: 1, max: 10000 },
  'kustomize-limit-s': { default: 240, min: 1, max: 3600 },
});
const RUNS = args.runs;
const SIZES = args.sizes;
/** Runs of each side of the committed environments against the kustomize loop (they alternate). */
const PAIR_RUNS = args['pair-runs'];
// At 1,000 environments synth runs 3 times and kustomize once: kustomize's one-process build grows faster than
// linearly (100 overlays ~3 s of CPU, 1,000 overlays minutes), and the bench must stay within minutes.
const runsFor = (n) => (n >= 1000 ? Math.min(RUNS, 3) : RUNS);
const kustomizeRunsFor = (n) => (n >= 1000 ? 1 : RUNS);
// kustomize on 1,000 overlays in one process takes many minutes; past this limit it is stopped and the ratio
// is reported as an upper bound (synth / limit).
const KUSTOMIZE_LIMIT_MS = args['kustomize-limit-s'] * 1000;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
mkdirSync(join(root, 'build'), { recursive: true });
const work = mkdtempSync(join(root, 'build', 'bench-synth-'));

/** Runs a command once: wall ms, and with /usr/bin/time the peak RSS (MiB) and CPU ms (user + sys). */
function once(command, commandArgs, { cwd = root, limitMs } = {}) {
  // With a limit, coreutils' timeout runs the command and kills exactly that child when the limit passes.
  const [cmd, args] = limitMs
    ? ['timeout', ['-s', 'KILL', String(limitMs / 1000), command, ...commandArgs]]
    : [command, commandArgs];
  const started = process.hrtime.bigint();
  const options = { cwd, encoding: 'utf8', maxBuffer: 1 << 30 };
  const r = TIME ? spawnSync(TIME, ['-f', '%M %U %S', cmd, ...args], options) : spawnSync(cmd, args, options);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (limitMs && (r.status === 124 || r.status === 137 || ms >= limitMs)) {
    return { ms: limitMs, mib: Number.NaN, cpuMs: Number.NaN, stopped: true };
  }
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(-2000)}`,
    );
  }
  const [kb, user, sys] = TIME
    ? r.stderr.trim().split('\n').pop().split(' ').map(Number)
    : [Number.NaN, Number.NaN, Number.NaN];
  return { ms, mib: kb / 1024, cpuMs: (user + sys) * 1000 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median, spread, CPU and peak memory of one command's samples, printed as one line. */
function summarize(label, samples) {
  const stopped = samples.some((x) => x.stopped);
  const ms = samples.map((s) => s.ms);
  const result = {
    label,
    runs: samples.length,
    medianMs: Math.round(median(ms)),
    minMs: Math.round(Math.min(...ms)),
    maxMs: Math.round(Math.max(...ms)),
    medianCpuMs: Math.round(median(samples.map((s) => s.cpuMs))),
    peakMiB: Math.round(Math.max(...samples.map((s) => s.mib))),
    ...(stopped && { stoppedAtLimit: true }),
  };
  console.log(
    `${label.padEnd(62)} median ${stopped ? '>' : ' '}${String(result.medianMs).padStart(6)} ms wall, ${String(result.medianCpuMs).padStart(6)} ms cpu  (min ${result.minMs}, max ${result.maxMs}, peak ${result.peakMiB} MiB)`,
  );
  return result;
}

function series(label, runs, cmd, args, { before, limitMs } = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    samples.push(once(cmd, args, { limitMs }));
  }
  return summarize(label, samples);
}

/** Two commands run alternately (A, B, A, B, …), so a change of the machine's load hits both sides alike. */
function interleaved(runs, a, b) {
  const [sa, sb] = [[], []];
  for (let i = 0; i < runs; i++) {
    sa.push(once(a.cmd, a.args));
    sb.push(once(b.cmd, b.args));
  }
  return [summarize(a.label, sa), summarize(b.label, sb)];
}

const id = (i) => `e${String(i).padStart(4, '0')}`;

function generateEnvironments(dir, count) {
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, 'environments', 'clusters'), join(dir, 'clusters'), { recursive: true });
  for (let i = 1; i <= count; i++) {
    writeFileSync(
      join(dir, `${id(i)}.yaml`),
      [
        '# yaml-language-server: $schema=./schema.json',
        `name: ${id(i)}`,
        // Every generated environment runs on the committed nonprod cluster entry (copied beside them); each has
        // its own namespace (guestlist-<name>) and its own ALB (no ingress.group), so the topology is valid.
        'cluster: nonprod',
        'image:',
        `  tag: "1.0.${i}"`,
        'aws:',
        `  roleArn: arn:aws:iam::111111111111:role/guestlist-${id(i)}`,
        'autoscaling:',
        '  minReplicas: 2',
        `  maxReplicas: ${5 + (i % 7)}`,
        'ingress:',
        '  enabled: true',
        `  host: ${id(i)}.example.com`,
        '  sourceCidrs: [10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24]',
        '',
      ].join('\n'),
    );
  }
}

/** A kustomize base made of the rendered dev objects, and one overlay per environment with the same knobs. */
function generateKustomize(dir, count) {
  const base = join(dir, 'base');
  mkdirSync(base, { recursive: true });
  const files = readdirSync(join(root, 'dist', 'dev')).filter((f) => !f.startsWith('namespace-'));
  for (const f of files) cpSync(join(root, 'dist', 'dev', f), join(base, f));
  writeFileSync(join(base, 'kustomization.yaml'), `resources:\n${files.map((f) => `  - ${f}`).join('\n')}\n`);
  const names = [];
  for (let i = 1; i <= count; i++) {
    const n = id(i);
    const o = join(dir, 'overlays', n);
    mkdirSync(o, { recursive: true });
    writeFileSync(
      join(o, 'namespace.yaml'),
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: guestlist-${n}\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n`,
    );
    writeFileSync(
      join(o, 'kustomization.yaml'),
      [
        'resources:',
        '  - ../../base',
        '  - namespace.yaml',
        `namespace: guestlist-${n}`,
        'images:',
        '  - name: registry.example.com/guestlist',
        `    newTag: "1.0.${i}"`,
        'patches:',
        '  - target: { kind: HorizontalPodAutoscaler, name: guestlist }',
        `    patch: '[{"op":"replace","path":"/spec/minReplicas","value":2},{"op":"replace","path":"/spec/maxReplicas","value":${5 + (i % 7)}}]'`,
        '  - target: { kind: ConfigMap, name: guestlist }',
        `    patch: '[{"op":"replace","path":"/data/DDB_TABLE","value":"GuestList-${n}"},{"op":"replace","path":"/data/ENVIRONMENT","value":"${n}"}]'`,
        '  - target: { kind: ServiceAccount, name: guestlist }',
        `    patch: '[{"op":"replace","path":"/metadata/annotations/eks.amazonaws.com~1role-arn","value":"arn:aws:iam::111111111111:role/guestlist-${n}"}]'`,
        '  - target: { kind: Ingress, name: guestlist }',
        `    patch: '[{"op":"replace","path":"/spec/rules/0/host","value":"${n}.example.com"}]'`,
        '',
      ].join('\n'),
    );
    names.push(n);
  }
  const all = join(dir, 'all');
  mkdirSync(all, { recursive: true });
  writeFileSync(
    join(all, 'kustomization.yaml'),
    `resources:\n${names.map((n) => `  - ../overlays/${n}`).join('\n')}\n`,
  );
  return all;
}

try {
  const committed = readdirSync(join(root, 'environments')).filter((f) => /\.ya?ml$/.test(f)).length;
  const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));
  console.log(
    `bench:synth: node ${process.version}; ${RUNS} runs each (at 1,000: synth ${Math.min(RUNS, 3)}, kustomize 1); load average ${loadBefore.join(' ')} on ${cpus().length} cores\n`,
  );
  once('npm', ['run', '-s', 'synth']); // builds the bundle and its code cache if stale
  // First, so a failure here costs seconds, not the whole run.
  const emit = spawnSync('npx', ['tsx', join(root, 'synth', 'bench', 'bench-emit.ts')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (emit.status !== 0) throw new Error(`bench-emit failed:\n${emit.stderr.slice(-2000)}`);
  const emitter = JSON.parse(emit.stdout.trim().split('\n').pop());
  console.log(
    `YAML emitter, µs per object over ${emitter.objects} committed objects: ${Object.entries(
      emitter.usPerObject,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} (stringify 1.1 / toYaml = ${emitter.stringify11VsToYaml}x)\n`,
  );
  // The committed environments against what a kustomize user runs for them: one `kubectl kustomize` per
  // overlay, in a loop. Both are a few hundred milliseconds, so they alternate, with more runs than the sizes.
  const loopDir = join(work, 'committed-kustomize');
  generateKustomize(loopDir, committed);
  const loop = Array.from(
    { length: committed },
    (_, i) => `kubectl kustomize overlays/${id(i + 1)} >/dev/null`,
  );
  const [committedRun, loopRun] = interleaved(
    PAIR_RUNS,
    {
      label: `npm run synth (${committed} committed environments, up to date)`,
      cmd: 'npm',
      args: ['run', '-s', 'synth'],
    },
    {
      label: `kubectl kustomize, one process per overlay (${committed} overlays)`,
      cmd: 'sh',
      args: ['-c', `cd '${loopDir}' && ${loop.join(' && ')}`],
    },
  );
  const results = { committed: committedRun, kustomizeLoop: loopRun, sizes: {} };
  for (const n of SIZES) {
    const dir = join(work, `n${n}`);
    const envDir = join(dir, 'environments');
    const outDir = join(dir, 'dist');
    generateEnvironments(envDir, n);
    mkdirSync(join(dir, 'argocd'), { recursive: true });
    cpSync(join(root, 'argocd', 'repo.yaml'), join(dir, 'argocd', 'repo.yaml'));
    const all = generateKustomize(join(dir, 'kustomize'), n);
    const args = ['run', '-s', 'synth', '--', '--environments', envDir, '--out', outDir];
    once('npm', args);
    const runs = runsFor(n);
    results.sizes[n] = {
      upToDate: series(`npm run synth (${n} environments, dist up to date)`, runs, 'npm', args),
      cold: series(`npm run synth (${n} environments, empty dist: writes all)`, runs, 'npm', args, {
        before: () => rmSync(outDir, { recursive: true, force: true }),
      }),
      kustomize: series(
        `kubectl kustomize (${n} overlays, one process)`,
        kustomizeRunsFor(n),
        'kubectl',
        ['kustomize', all],
        { limitMs: KUSTOMIZE_LIMIT_MS },
      ),
    };
    rmSync(dir, { recursive: true, force: true });
  }

  const s = results.sizes;
  const ratio = (n, k) =>
    s[n] ? Number((s[n][k].medianMs / s[n].kustomize.medianMs).toFixed(2)) : undefined;
  const growth = SIZES.map((n) => ({
    environments: n,
    upToDateMs: s[n].upToDate.medianMs,
    coldMs: s[n].cold.medianMs,
    cpuMs: s[n].upToDate.medianCpuMs,
    peakMiB: Math.max(s[n].upToDate.peakMiB, s[n].cold.peakMiB),
    kustomizeMs: s[n].kustomize.medianMs,
    kustomizeStoppedAtLimit: s[n].kustomize.stoppedAtLimit === true,
    vsKustomize: ratio(n, 'upToDate'),
    coldVsKustomize: ratio(n, 'cold'),
  }));
  console.log(
    '\nenvironments | synth up to date | synth cold | cpu | peak RSS | kustomize | ratio (up to date / cold)',
  );
  for (const g of growth) {
    console.log(
      `${String(g.environments).padStart(12)} | ${String(g.upToDateMs).padStart(10)} ms | ${String(g.coldMs).padStart(7)} ms | ${String(g.cpuMs).padStart(6)} ms | ${String(g.peakMiB).padStart(4)} MiB | ${g.kustomizeStoppedAtLimit ? '>' : ' '}${String(g.kustomizeMs).padStart(6)} ms | ${g.kustomizeStoppedAtLimit ? '<' : ''}${g.vsKustomize} / ${g.kustomizeStoppedAtLimit ? '<' : ''}${g.coldVsKustomize}`,
    );
  }
  const [lo, hi] = [SIZES.includes(100) ? 100 : SIZES[0], SIZES.includes(1000) ? 1000 : SIZES.at(-1)];
  const marginal = (k, field) => (s[hi][k][field] - s[lo][k][field]) / (hi - lo);
  const targets = {};
  const target = (name, value, limit) => {
    targets[name] = { value: Number(value.toFixed(2)), target: limit, pass: value <= limit };
  };
  target('committedMedianMs', results.committed.medianMs, 600);
  target('committedVsKustomizeLoop', results.committed.medianMs / results.kustomizeLoop.medianMs, 1.2);
  if (s[100]) {
    target('env100VsKustomize', ratio(100, 'upToDate'), 0.7);
    target('env100ColdVsKustomize', ratio(100, 'cold'), 0.7);
  }
  if (s[1000]) {
    target('env1000VsKustomize', ratio(1000, 'upToDate'), 0.5);
    target('env1000ColdVsKustomize', ratio(1000, 'cold'), 0.5);
    target('env1000PeakMiB', Math.max(s[1000].upToDate.peakMiB, s[1000].cold.peakMiB), 600);
  }
  if (hi > lo) {
    target('marginalWallMsPerEnvironment', marginal('upToDate', 'medianMs'), 6);
    target('marginalCpuMsPerEnvironment', marginal('upToDate', 'medianCpuMs'), 6);
    target('marginalColdWallMsPerEnvironment', marginal('cold', 'medianMs'), 6);
  }
  console.log('\ntargets:');
  for (const [k, t] of Object.entries(targets))
    console.log(`  ${t.pass ? 'PASS' : 'FAIL'} ${k}: ${t.value} (target ${t.target})`);
  const load = loadavg().map((l) => Number(l.toFixed(2)));
  console.log(
    `\nload average ${load.join(' ')} on ${cpus().length} cores (wall times grow with load; cpu times much less)`,
  );
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    loadAverage: load,
    loadAverageBefore: loadBefore,
    runs: RUNS,
    pairRuns: PAIR_RUNS,
    emitter,
    results,
    growth,
    targets,
  };
  writeFileSync(join(root, 'build', 'bench-synth.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('\nwrote build/bench-synth.json');
  process.exitCode = Object.values(targets).every((t) => t.pass) ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
