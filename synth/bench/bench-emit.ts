// Is synth's own YAML emitter (render/yaml-emit.ts) still the better choice than the `yaml` package's
// `stringify`? Both write every committed object of dist/ (keys already sorted, as synth passes them), in the
// same process, alternating rounds; reported as µs per object (median of the rounds) and as a ratio.
// `stringify` is measured twice: with its defaults (YAML 1.2, which writes `yes`, `on`, `y`, `1_000` unquoted, so a
// YAML 1.1 reader such as Go's sigs.k8s.io/yaml would read them as bool / number), and with `version: '1.1'`
// (quotes them, the fair comparison). Run by `npm run bench:synth`; alone: npx tsx synth/bench/bench-emit.ts
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { toYaml } from '../src/render/yaml-emit';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const roundsAt = process.argv.indexOf('--rounds');
const ROUNDS = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 9;
if (!(ROUNDS >= 1)) throw new Error('--rounds must be a number >= 1');

const objects: unknown[] = [];
for (const folder of readdirSync(join(root, 'dist'))) {
  for (const file of readdirSync(join(root, 'dist', folder))) {
    if (file.endsWith('.yaml')) objects.push(parse(readFileSync(join(root, 'dist', folder, file), 'utf8')));
  }
}

const writers: Record<string, (o: unknown) => string> = {
  'synth toYaml': toYaml,
  'yaml stringify (1.2)': (o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }),
  'yaml stringify (version 1.1)': (o) =>
    stringify(o, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }),
};

// Warm-up, so every writer is compiled before it is timed.
for (const write of Object.values(writers)) for (const o of objects) write(o);
const samples = new Map<string, number[]>(Object.keys(writers).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, write] of Object.entries(writers)) {
    const started = performance.now();
    let bytes = 0;
    for (let i = 0; i < 20; i++) for (const o of objects) bytes += write(o).length;
    samples.get(name)?.push(((performance.now() - started) * 1000) / (20 * objects.length));
    if (bytes === 0) throw new Error('nothing written');
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const result = Object.fromEntries([...samples].map(([k, v]) => [k, Number(median(v).toFixed(1))]));
const ours = result['synth toYaml'] as number;
const fair = result['yaml stringify (version 1.1)'] as number;
process.stdout.write(
  `${JSON.stringify({ objects: objects.length, rounds: ROUNDS, usPerObject: result, stringify11VsToYaml: Number((fair / ours).toFixed(1)) })}\n`,
);
