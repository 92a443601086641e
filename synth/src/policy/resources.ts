// Policy rule `resources`: containers request CPU and memory and limit memory.
import { containersOf, podTemplates } from './pods';
import { type Rule, ref, type Violation } from './types';

/** Every container requests CPU and memory and limits memory. */
export const resources: Rule = {
  id: 'resources',
  description: 'Containers set CPU and memory requests and a memory limit',
  check({ objects }) {
    const out: Violation[] = [];
    for (const pod of podTemplates(objects)) {
      for (const c of containersOf(pod)) {
        const need: [string, string | undefined, string][] = [
          ['requests.cpu', c.resources?.requests?.cpu, 'resources.requests.cpu'],
          ['requests.memory', c.resources?.requests?.memory, 'resources.requests.memory'],
          ['limits.memory', c.resources?.limits?.memory, 'resources.limits.memory'],
        ];
        for (const [field, value, key] of need) {
          if (value === undefined || value === '') {
            out.push({
              rule: 'resources',
              object: ref(pod.owner),
              message: `container "${c.name}" has no ${field}`,
              key,
            });
          }
        }
      }
    }
    return out;
  },
};
