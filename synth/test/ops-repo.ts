// A temporary clone of this repository's environments, dist/ and Argo CD settings, for the tests of the
// commands that edit them.
import { type TempRepo, tempRepo } from './temp-repo';

/** A temporary clone (with a bare origin) of this repository's environments, dist/ and Argo CD settings. */
export function opsRepo(extra: Readonly<Record<string, string>> = {}): TempRepo {
  return tempRepo(extra, ['environments', 'dist', 'argocd/repo.yaml']);
}
