#!/usr/bin/env node
// Benchmark of the ops commands against synth itself, in the same run, through the entry npm's scripts run
// (sh synth/bin/synth, the CLI's start-up snapshot; `npm run` adds the same constant to both sides):
//   1. bump <env> --tag <t> --commit (edit + gated render + commit)  vs  synth --env <env> (render + write),
//      on a copy of the committed repository and on a 100-environment repository;
//   2. diff --base HEAD~1 with all 100 environments changed in the last commit  vs  a full synth of the 100.
// Runs are interleaved (A, B, A, B, ...) so load changes hit both sides; medians are compared.
// Writes build/bench-ops.json. Usage: npm run bench:ops [-- --runs 7]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './bench-args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'synth', 'bin', 'synth');
const RUNS = benchArgs('bench:ops', { runs: { default: 7, min: 1, max: 100 } }).runs;
mkdirSync(join(root, 'build'), { recursive: true });
const work = mkdtempSync(join(root, 'build', 'bench-ops-'));

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs the CLI once in `cwd`: wall ms, and with /usr/bin/time the CPU ms (user + sys) of the process and the
 * git processes it waited for. Throws with its output when it fails.
 */
function timed(cwd, args) {
  const command = ['sh', cli, ...args];
  const started = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ['-f', '%U %S', ...command], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(command[0], command.slice(1), { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0)
    throw new Error(`synth ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const [user, sys] = TIME
    ? r.stderr.trim().split('\n').pop().split(' ').map(Number)
    : [Number.NaN, Number.NaN];
  return { ms, cpuMs: (user + sys) * 1000 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A git repository holding this checkout's environments, dist/ and Argo CD settings, plus copies of dev. */
function repository(name, extraEnvironments = 0) {
  const dir = join(work, name);
  mkdirSync(dir);
  for (const path of ['environments', 'dist', 'argocd/repo.yaml']) {
    cpSync(join(root, path), join(dir, path), { recursive: true });
  }
  const dev = readFileSync(join(dir, 'environments', 'dev.yaml'), 'utf8');
  for (let i = 0; i < extraEnvironments; i++) {
    const env = `e${String(i).padStart(3, '0')}`;
    writeFileSync(
      join(dir, 'environments', `${env}.yaml`),
      dev
        .replace(/^name: dev$/m, `name: ${env}`)
        .replace('guestlist.dev.example.com', `guestlist.${env}.example.com`),
    );
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'bench');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  if (extraEnvironments > 0) timed(dir, []);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

/** Sets an environment's tag in its file (a plain text edit, untimed). */
function setTag(dir, env, tag) {
  const path = join(dir, 'environments', `${env}.yaml`);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/tag: "[^"]*"/, `tag: "${tag}"`));
}

/** bump (edit + render + commit) against synth --env (render + write), interleaved. */
function bumpVersusSynth(label, dir, env) {
  const bump = [];
  const synth = [];
  timed(dir, ['--env', env]); // warm the code cache and the page cache
  for (let i = 0; i < RUNS; i++) {
    setTag(dir, env, `0.9.${i}`);
    synth.push(timed(dir, ['--env', env]));
    git(dir, 'commit', '-q', '-am', `synth ${i}`);
    bump.push(timed(dir, ['bump', env, '--tag', `0.8.${i}`, '--commit']));
  }
  if (git(dir, 'status', '--porcelain') !== '') throw new Error(`${label}: bump left the tree dirty`);
  return report(label, { 'bump --commit': bump, 'synth --env': synth }, 1.3);
}

/** diff --base HEAD~1 after a commit that changed every environment, against a full synth. */
function diffVersusSynth(label, dir, envs) {
  for (const env of envs) setTag(dir, env, '0.7.0');
  timed(dir, []);
  git(dir, 'commit', '-q', '-am', 'every environment changes');
  const diff = [];
  const markdown = [];
  const synth = [];
  timed(dir, ['diff', '--base', 'HEAD~1']);
  for (let i = 0; i < RUNS; i++) {
    diff.push(timed(dir, ['diff', '--base', 'HEAD~1']));
    synth.push(timed(dir, []));
    markdown.push(timed(dir, ['diff', '--base', 'HEAD~1', '--format', 'markdown']));
  }
  return report(
    label,
    { 'diff --base HEAD~1': diff, 'diff --format markdown': markdown, 'synth (all)': synth },
    1,
  );
}

function report(label, series, limit) {
  const stat = (v, key) => Math.round(median(v.map((x) => x[key])));
  const medians = Object.fromEntries(Object.entries(series).map(([k, v]) => [k, stat(v, 'ms')]));
  const cpu = Object.fromEntries(Object.entries(series).map(([k, v]) => [k, stat(v, 'cpuMs')]));
  const [ours, ...rest] = Object.keys(series);
  const reference = rest.at(-1);
  const ratio = medians[ours] / medians[reference];
  const cpuRatio = cpu[ours] / cpu[reference];
  console.log(`${label}`);
  for (const [k, v] of Object.entries(series)) {
    const ms = v.map((x) => x.ms);
    console.log(
      `  ${k.padEnd(24)} median ${String(medians[k]).padStart(5)} ms wall (min ${Math.round(Math.min(...ms))}, max ${Math.round(Math.max(...ms))}), ${String(cpu[k]).padStart(5)} ms CPU`,
    );
  }
  console.log(
    `  ratio ${ours} / ${reference}: ${ratio.toFixed(2)} wall, ${cpuRatio.toFixed(2)} CPU (target ≤ ${limit}) ${ratio <= limit ? 'met' : 'MISSED'}`,
  );
  return {
    label,
    medians,
    cpu,
    ratio: Number(ratio.toFixed(3)),
    cpuRatio: Number(cpuRatio.toFixed(3)),
    limit,
    met: ratio <= limit,
  };
}

try {
  timed(root, ['--help']); // builds the bundle if a source changed, outside every measurement
  console.log(
    `bench:ops on ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, ${RUNS} runs each`,
  );
  const committed = repository('committed');
  const hundred = repository('hundred', 97);
  const envs = [
    'dev',
    'staging',
    'prod',
    ...Array.from({ length: 97 }, (_, i) => `e${String(i).padStart(3, '0')}`),
  ];
  const results = [
    bumpVersusSynth('bump dev, committed repository (3 environments)', committed, 'dev'),
    bumpVersusSynth('bump dev, 100 environments', hundred, 'dev'),
    diffVersusSynth('diff, all 100 environments changed', hundred, envs),
  ];
  const out = join(root, 'build', 'bench-ops.json');
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, loadavg: loadavg(), results }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
