// Whether argocd/install pins upstream Argo CD by commit and its images by digest: a pin by tag (or a partial
// pin) does not break a first deploy, so it is a warning, with the exact `npm run argocd:pin` to run. Pure:
// takes the kustomization's text.
import { ARGOCD_INSTALL_FILE, isFullyPinned, readInstallPin } from '../config/argocd-install';
import { CHECKED_VERSIONS } from '../render/crd-contracts';
import type { Finding } from './finding';

/** The warning for the install's pin, or undefined when it is pinned by commit and digests (or absent). */
export function argocdInstallPinFinding(
  text: string | undefined,
  file = ARGOCD_INSTALL_FILE,
): Finding | undefined {
  if (text === undefined) return undefined;
  const read = readInstallPin(text, file);
  const tag = 'pin' in read ? (read.pin.tag ?? CHECKED_VERSIONS.argoCd) : CHECKED_VERSIONS.argoCd;
  const command = `npm run argocd:pin -- ${tag}`;
  const base = {
    severity: 'warns',
    rule: 'argocd-install-pin',
    file,
    key: 'resources',
    fix: `with network, run ${command}, run the cosign verify commands it prints (docs/security.md, "Argo CD install: pin and verification"), and commit ${file}`,
    command,
    environments: [],
  } as const;
  if ('problem' in read) {
    return { ...base, line: 1, value: '', why: `cannot tell how Argo CD is pinned: ${read.problem}` };
  }
  const { pin } = read;
  if (isFullyPinned(pin)) return undefined;
  const why =
    pin.kind === 'commit' && pin.tag === undefined
      ? 'Argo CD install pinned by a commit without its release tag noted after it (# vX.Y.Z): the tests and this check cannot tell which release it is'
      : pin.kind === 'commit'
        ? 'Argo CD install pinned by commit, but not every image by digest: an image tag can be moved'
        : `Argo CD install pinned by ${pin.kind === 'tag' ? 'tag' : `the ref ${pin.ref}`}, not by commit/digest: upstream can move the tag, and its images are pulled by tag; it does not break a deploy`;
  return { ...base, line: pin.line, value: pin.url, why };
}
