// Image references given on the command line (`--tag`, `--digest`, `--to`): the domain's rules, as usage errors
// that name the flag and the value.
import { digestProblem, parseTaggedImage, type TaggedImage, tagProblem } from '../../domain/image-ref';
import { usageError } from '../errors';

/** Checks a tag given on the command line. */
export function checkTag(tag: string, flag = '--tag'): string {
  const problem = tagProblem(tag);
  if (problem) throw usageError(`${flag} ${JSON.stringify(tag)}: ${problem}`);
  return tag;
}

/** Checks a digest given on the command line: full sha256, lowercase, never a placeholder. */
export function checkDigest(digest: string, flag = '--digest'): string {
  const problem = digestProblem(digest);
  if (problem) throw usageError(`${flag} ${JSON.stringify(digest)}: ${problem}`);
  return digest;
}

/** Parses `repository:tag[@sha256:…]` or `tag[@sha256:…]` (the environment's repository) given with `flag`. */
export function parseImageFlag(text: string, defaultRepository: string, flag = '--to'): TaggedImage {
  const parsed = parseTaggedImage(text, defaultRepository);
  if ('problem' in parsed) throw usageError(`${flag} ${JSON.stringify(parsed.part)}: ${parsed.problem}`);
  return parsed.image;
}
