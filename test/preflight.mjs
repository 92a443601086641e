#!/usr/bin/env node
// npm test's first step: within a second, either every program the tests start is here at a usable version, or
// one line lists everything missing and the one command that installs it. Without this a fresh machine fails
// minutes later, deep inside a test file (`spawnSync shellcheck ENOENT`).
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000 });
  return r.error || r.status !== 0 ? undefined : `${r.stdout}${r.stderr}`;
};
const major = (text, pattern) => Number(pattern.exec(text ?? '')?.[1] ?? Number.NaN);

/** Each check: the program, why the tests need it, and undefined when usable or the reason it is not. */
const CHECKS = [
  [
    'node',
    'every test',
    () => {
      const [maj, min] = process.versions.node.split('.').map(Number);
      return maj > 22 || (maj === 22 && min >= 12)
        ? undefined
        : `Node >= 22.12 (this is ${process.versions.node}; .nvmrc pins the image's)`;
    },
  ],
  [
    'java',
    'DynamoDB Local',
    () => (major(run('java', ['-version']), /version "(\d+)/) >= 17 ? undefined : 'java >= 17'),
  ],
  [
    'kubectl',
    'kustomize builds of argocd/',
    () => {
      const out = run('kubectl', ['version', '--client', '-o', 'json']);
      if (out === undefined) return 'kubectl';
      const minor = Number.parseInt(JSON.parse(out).clientVersion?.minor ?? '0', 10);
      // kubectl 1.27 embeds kustomize 5, which reads the `patches:` field argocd/install uses.
      return minor >= 27
        ? undefined
        : `kubectl >= 1.27 (found 1.${minor}; its kustomize predates \`patches:\`)`;
    },
  ],
  ['chromium', 'the page tests', () => (run('chromium', ['--version']) ? undefined : 'chromium')],
  ['prometheus', 'metrics verification', () => (run('prometheus', ['--version']) ? undefined : 'prometheus')],
  ['promtool', 'alert rules', () => (run('promtool', ['--version']) ? undefined : 'promtool')],
  [
    'shellcheck',
    "the workflows' scripts",
    () => (run('shellcheck', ['--version']) ? undefined : 'shellcheck'),
  ],
  ['lua5.4', 'Argo CD health checks', () => (run('lua5.4', ['-v']) ? undefined : 'lua5.4')],
  [
    'openssl',
    "the test API server's certificate",
    () => (run('openssl', ['version']) ? undefined : 'openssl'),
  ],
];

const missing = CHECKS.map(([, , check]) => check()).filter((m) => m !== undefined);
if (missing.length > 0) {
  const kubectlHint = missing.some((m) => m.startsWith('kubectl'))
    ? '; kubectl >= 1.27 is not in Debian: install it from the Kubernetes release you run'
    : '';
  console.error(
    `npm test: missing ${missing.join(', ')}; install with: eval "$(.ci/setup)" (it runs apt-get through sudo for a missing Debian program, and puts the .nvmrc Node on this shell's PATH)${kubectlHint}; then run npm test again`,
  );
  process.exit(1);
}
