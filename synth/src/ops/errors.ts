// The ops modules' door to the one error family of synth/src/errors.ts (refusals exit 1, usage errors exit 2);
// kept as a re-export so the planners import their errors from beside them.
export { refused, UserError, usageError } from '../errors';
