#!/usr/bin/env node
// Benchmark of `npm run synth` end to end (all gates on) against `kubectl kustomize` on an equivalent
// base + overlays, in the same run. Writes build/bench-synth.json. Usage: npm run bench:synth [-- --runs 9]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;
const GENERATED = 100;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const work = mkdtempSync(join(root, 'build', 'bench-synth-'));

/** Runs a command once: wall ms, and with /usr/bin/time the peak RSS (MiB) and CPU ms (user + sys) of the process tree. */
function once(cmd, args, cwd = root) {
  const started = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ['-f', '%M %U %S', cmd, ...args], { cwd, encoding: 'utf8' })
    : spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const [kb, user, sys] = TIME
    ? r.stderr.trim().split('\n').pop().split(' ').map(Number)
    : [Number.NaN, Number.NaN, Number.NaN];
  return { ms, mib: kb / 1024, cpuMs: (user + sys) * 1000 };
}

function series(label, cmd, args, { before } = {}) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    before?.();
    samples.push(once(cmd, args));
  }
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const cpu = samples.map((s) => s.cpuMs).sort((a, b) => a - b);
  const result = {
    label,
    runs: RUNS,
    medianMs: Math.round(ms[Math.floor(ms.length / 2)]),
    minMs: Math.round(ms[0]),
    maxMs: Math.round(ms[ms.length - 1]),
    medianCpuMs: Math.round(cpu[Math.floor(cpu.length / 2)]),
    peakMiB: Math.round(Math.max(...samples.map((s) => s.mib))),
  };
  console.log(
    `${label.padEnd(58)} median ${String(result.medianMs).padStart(5)} ms wall, ${String(result.medianCpuMs).padStart(5)} ms cpu  (min ${result.minMs}, max ${result.maxMs}, peak ${result.peakMiB} MiB)`,
  );
  return result;
}

function generateEnvironments(dir, count) {
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(3, '0');
    writeFileSync(
      join(dir, `e${n}.yaml`),
      [
        '# yaml-language-server: $schema=./schema.json',
        `name: e${n}`,
        'image:',
        `  tag: "1.0.${i}"`,
        'aws:',
        `  roleArn: arn:aws:iam::111111111111:role/guestlist-e${n}`,
        'autoscaling:',
        '  minReplicas: 2',
        `  maxReplicas: ${5 + (i % 7)}`,
        'ingress:',
        '  enabled: true',
        `  host: e${n}.example.com`,
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
  const overlays = [];
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(3, '0');
    const o = join(dir, 'overlays', `e${n}`);
    mkdirSync(o, { recursive: true });
    writeFileSync(
      join(o, 'namespace.yaml'),
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: guestlist-e${n}\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n`,
    );
    writeFileSync(
      join(o, 'kustomization.yaml'),
      [
        'resources:',
        '  - ../../base',
        '  - namespace.yaml',
        `namespace: guestlist-e${n}`,
        'images:',
        '  - name: registry.example.com/guestlist',
        `    newTag: "1.0.${i}"`,
        'patches:',
        '  - target: { kind: HorizontalPodAutoscaler, name: guestlist }',
        `    patch: '[{"op":"replace","path":"/spec/minReplicas","value":2},{"op":"replace","path":"/spec/maxReplicas","value":${5 + (i % 7)}}]'`,
        '  - target: { kind: ConfigMap, name: guestlist }',
        `    patch: '[{"op":"replace","path":"/data/DDB_TABLE","value":"GuestList-e${n}"},{"op":"replace","path":"/data/ENVIRONMENT","value":"e${n}"}]'`,
        '  - target: { kind: ServiceAccount, name: guestlist }',
        `    patch: '[{"op":"replace","path":"/metadata/annotations/eks.amazonaws.com~1role-arn","value":"arn:aws:iam::111111111111:role/guestlist-e${n}"}]'`,
        '  - target: { kind: Ingress, name: guestlist }',
        `    patch: '[{"op":"replace","path":"/spec/rules/0/host","value":"e${n}.example.com"}]'`,
        '',
      ].join('\n'),
    );
    overlays.push(o);
  }
  const all = join(dir, 'all');
  mkdirSync(all, { recursive: true });
  writeFileSync(
    join(all, 'kustomization.yaml'),
    `resources:\n${overlays.map((o) => `  - ../overlays/${o.split('/').pop()}`).join('\n')}\n`,
  );
  return { overlays, all };
}

try {
  const committed = readdirSync(join(root, 'environments')).filter((f) => f.endsWith('.yaml')).length;
  const envDir = join(work, 'environments');
  const outDir = join(work, 'dist');
  generateEnvironments(envDir, GENERATED);
  // synth reads the repository setting beside the environments folder, as in the repo.
  mkdirSync(join(work, 'argocd'), { recursive: true });
  cpSync(join(root, 'argocd', 'repo.yaml'), join(work, 'argocd', 'repo.yaml'));
  const { overlays, all } = generateKustomize(join(work, 'kustomize'), GENERATED);
  const synth100 = ['run', '-s', 'synth', '--', '--environments', envDir, '--out', outDir];

  console.log(
    `bench:synth: ${RUNS} runs each; node ${process.version}; committed environments: ${committed}\n`,
  );
  once('npm', ['run', '-s', 'synth']); // builds the bundle and its code cache if stale
  once('npm', synth100);

  const results = {
    committed: series(`npm run synth (${committed} committed environments)`, 'npm', ['run', '-s', 'synth']),
    generated: series(`npm run synth (${GENERATED} generated, dist up to date)`, 'npm', synth100),
    generatedCold: series(`npm run synth (${GENERATED} generated, empty dist: writes all)`, 'npm', synth100, {
      before: () => rmSync(outDir, { recursive: true, force: true }),
    }),
    kustomize7: (() => {
      const seven = overlays.slice(0, 7);
      const samples = [];
      for (let i = 0; i < RUNS; i++)
        samples.push(seven.reduce((t, o) => t + once('kubectl', ['kustomize', o]).ms, 0));
      samples.sort((a, b) => a - b);
      const medianMs = Math.round(samples[Math.floor(samples.length / 2)]);
      console.log(
        `${'kubectl kustomize (7 overlays, one process each)'.padEnd(58)} median ${String(medianMs).padStart(5)} ms`,
      );
      return { label: 'kubectl kustomize, 7 overlays one by one', runs: RUNS, medianMs };
    })(),
    kustomize100: series(`kubectl kustomize (${GENERATED} overlays, one process)`, 'kubectl', [
      'kustomize',
      all,
    ]),
  };
  const marginalMs = (results.generated.medianMs - results.committed.medianMs) / (GENERATED - committed);
  const marginalCpuMs =
    (results.generated.medianCpuMs - results.committed.medianCpuMs) / (GENERATED - committed);
  const targets = {
    committedMedianMs: {
      value: results.committed.medianMs,
      target: 600,
      pass: results.committed.medianMs <= 600,
    },
    generatedVsKustomize: {
      value: Number((results.generated.medianMs / results.kustomize100.medianMs).toFixed(2)),
      target: 0.7,
      pass: results.generated.medianMs <= 0.7 * results.kustomize100.medianMs,
    },
    generatedColdVsKustomize: {
      value: Number((results.generatedCold.medianMs / results.kustomize100.medianMs).toFixed(2)),
      target: 0.7,
      pass: results.generatedCold.medianMs <= 0.7 * results.kustomize100.medianMs,
    },
    marginalMsPerEnvironment: { value: Number(marginalMs.toFixed(2)), target: 6, pass: marginalMs <= 6 },
    marginalCpuMsPerEnvironment: {
      value: Number(marginalCpuMs.toFixed(2)),
      target: 6,
      pass: marginalCpuMs <= 6,
    },
    peakMiB: {
      value: Math.max(results.committed.peakMiB, results.generated.peakMiB, results.generatedCold.peakMiB),
      target: 200,
      pass:
        Math.max(results.committed.peakMiB, results.generated.peakMiB, results.generatedCold.peakMiB) <= 200,
    },
  };
  console.log('\ntargets:');
  for (const [k, t] of Object.entries(targets))
    console.log(`  ${t.pass ? 'PASS' : 'FAIL'} ${k}: ${t.value} (target ${t.target})`);
  const { loadavg, cpus } = await import('node:os');
  const load = loadavg().map((l) => Number(l.toFixed(2)));
  console.log(
    `\nload average ${load.join(' ')} on ${cpus().length} cores (wall times grow with load; cpu times much less)`,
  );
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    loadAverage: load,
    runs: RUNS,
    results,
    targets,
  };
  writeFileSync(join(root, 'build', 'bench-synth.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('\nwrote build/bench-synth.json');
  process.exitCode = Object.values(targets).every((t) => t.pass) ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
