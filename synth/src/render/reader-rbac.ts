// `npm run status -- --rbac` output: the reader chart through the same gates and serializer as dist/ (schema
// gate, policy gate, sorted keys, fixed YAML), as one multi-document stream for `kubectl apply -f -`.
import { type ClusterReaderChartProps, clusterReaderChart, type K8sObject } from '../charts';
import { formatViolation, runPolicy } from '../policy';
import { validateSchema } from './schema-gate';
import { generatedHeader, sortKeys } from './serialize';
import { GateError } from './types';
import { toYaml } from './yaml-emit';

/** What the header and gate messages name as the source. */
const SOURCE = 'environments/ and dist/ (npm run status -- --rbac)';

/** The Roles and RoleBindings as YAML; a {@link GateError} naming every object that fails a gate. */
export function renderReaderRbac(props: ClusterReaderChartProps): string {
  const objects = clusterReaderChart(props)
    .toJson()
    .map((o) => sortKeys(o) as K8sObject);
  const errors = objects.flatMap((obj) =>
    validateSchema(obj).map((problem) => `rbac: ${obj.kind}/${obj.metadata.name} [schema] ${problem}`),
  );
  for (const v of runPolicy(objects).violations) errors.push(formatViolation(v, 'rbac', SOURCE));
  if (errors.length > 0) throw new GateError(errors);
  return generatedHeader(SOURCE) + objects.map((o) => toYaml(o)).join('---\n');
}
