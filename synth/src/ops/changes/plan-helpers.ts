// Small helpers the change planners share: find an environment by name, its file, the edits of an image
// change.
import type { EnvironmentView } from '../../config';
import { unknownName } from '../../config/suggest';
import type { TaggedImage } from '../../domain/image-ref';
import { usageError } from '../errors';
import type { YamlEdit } from '../yaml/yaml-edit';

/** The environment of that name, or a usage error listing the known ones. */
export function requireEnv(
  envs: ReadonlyMap<string, EnvironmentView>,
  name: string,
  what = 'environment',
): EnvironmentView {
  const env = envs.get(name);
  if (!env) {
    const known = [...envs.keys()].sort();
    throw usageError(
      unknownName({ what, value: name, rule: 'no such environment', known, list: 'environments' }),
    );
  }
  return env;
}

/** The file name of an environment's file (`dev.yaml`). */
export function fileOf(env: EnvironmentView): string {
  return env.file.slice(env.file.lastIndexOf('/') + 1);
}

/** Edits that turn one image into another: only the keys that differ (repository, tag, digest). */
export function imageEdits(from: TaggedImage, to: TaggedImage): YamlEdit[] {
  const edits: YamlEdit[] = [];
  if (to.repository !== from.repository) edits.push({ path: ['image', 'repository'], value: to.repository });
  if (to.tag !== from.tag) edits.push({ path: ['image', 'tag'], value: to.tag });
  if (to.digest === undefined && from.digest !== undefined)
    edits.push({ path: ['image', 'digest'], delete: true });
  if (to.digest !== undefined && to.digest !== from.digest)
    edits.push({ path: ['image', 'digest'], value: to.digest });
  return edits;
}
