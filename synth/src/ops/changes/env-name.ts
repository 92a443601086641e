// Checks an environment name from the command line before it reaches any path.
import { usageError } from '../errors';

/** The rule every environment name follows (the schema's DNS label): it is also a file and folder name. */
export const ENV_NAME_PATTERN = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

const RULE =
  'must be a DNS label: lowercase letters, digits and "-", starting with a letter, 1-40 characters';

/**
 * Checks an environment name given on the command line before it is used in any path, so `../x`, `/etc`,
 * `a/b`, upper case and over-long names never reach the file system. Throws a usage error naming the value.
 */
export function checkEnvName(name: string, what = 'environment'): string {
  if (!ENV_NAME_PATTERN.test(name)) {
    const shown =
      name.length > 60 ? `${JSON.stringify(name.slice(0, 60)).slice(0, -1)}..."` : JSON.stringify(name);
    throw usageError(`${what} ${shown}: ${RULE}`);
  }
  return name;
}
