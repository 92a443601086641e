// How a maintainer verifies an image before committing its digest: the `cosign verify` command for the images
// Argo CD's release workflow signs (the identity and issuer docs/security.md names), and running it when asked.
// Images signed by someone else (Dex, Redis) get no command: their digest is trusted as reviewed, and said so.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { refused } from '../errors';

/**
 * The signer Argo CD's releases are signed as (keyless, through GitHub Actions OIDC): the release workflow at
 * the release's own tag, matched exactly (a pattern such as `…@refs/tags/v` would pass a signature of any
 * release, an older vulnerable one included).
 */
export const ARGOCD_SIGNER = {
  identity: (releaseTag: string) =>
    `https://github.com/argoproj/argo-cd/.github/workflows/image-reuse.yaml@refs/tags/${releaseTag}`,
  issuer: 'https://token.actions.githubusercontent.com',
  workflowRepository: 'argoproj/argo-cd',
} as const;

/**
 * The arguments of `cosign verify` for an image by digest, when Argo CD's release workflow signs it: the image
 * `…/argoproj/argocd` at the release tag, signed by the workflow run of that very tag. Undefined for any other
 * image.
 */
export function cosignArgs(path: string, tag: string | undefined, releaseTag: string, pinned: string) {
  if (!/(^|\/)argoproj\/argocd$/.test(path) || tag !== releaseTag) return undefined;
  return [
    'verify',
    '--certificate-identity',
    ARGOCD_SIGNER.identity(releaseTag),
    '--certificate-oidc-issuer',
    ARGOCD_SIGNER.issuer,
    '--certificate-github-workflow-repository',
    ARGOCD_SIGNER.workflowRepository,
    pinned,
  ];
}

/** The command line a person types (arguments quoted where the shell needs it). */
export function commandLine(program: string, args: readonly string[]): string {
  return [program, ...args].map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(' ');
}

/** The path of `program` on `PATH`, or undefined. */
export function onPath(program: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs `cosign verify`; refuses (with cosign's last error line) when it does not exit 0. */
export function runCosign(cosign: string, args: readonly string[], image: string, timeoutMs = 120_000): void {
  const result = spawnSync(cosign, args, {
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw refused(`cosign could not run for ${image}: ${result.error.message}`);
  if (result.status !== 0) {
    const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
    throw refused(
      `cosign verify failed for ${image} (exit ${result.status}): ${lines.at(-1)?.trim() ?? 'no message'}`,
    );
  }
}
