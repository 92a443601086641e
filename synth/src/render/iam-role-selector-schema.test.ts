import { describe, expect, it } from 'vitest';
import { validateSchema } from './schema-gate';

const selector = (
  spec: Record<string, unknown>,
  metadata: { name: string; namespace?: string } = { name: 'guestlist-prod-aws' },
) => ({
  apiVersion: 'services.k8s.aws/v1alpha1',
  kind: 'IAMRoleSelector',
  metadata,
  spec,
});
const ARN = 'arn:aws:iam::333333333333:role/ack-hub-access';

describe('the IAMRoleSelector schema, through the schema gate', () => {
  it('should pass the selector synth renders', () => {
    expect(
      validateSchema(selector({ arn: ARN, namespaceSelector: { names: ['guestlist-prod-aws'] } })),
    ).toEqual([]);
  });

  it("should refuse the older runtime's `name`, a missing selector, fields synth does not render and a namespace", () => {
    expect(
      validateSchema(selector({ arn: ARN, namespaceSelector: { name: ['guestlist-prod-aws'] } })),
    ).toEqual([
      '/spec/namespaceSelector/names is required',
      '/spec/namespaceSelector/name: unknown field; did you mean "names"?',
    ]);
    expect(validateSchema(selector({ arn: ARN }))).toEqual(['/spec/namespaceSelector is required']);
    expect(
      validateSchema(
        selector({ arn: ARN, namespaceSelector: { names: ['a', 'b'] }, resourceTypeSelector: [] }),
      ),
    ).toEqual([
      '/spec/namespaceSelector/names must name exactly one namespace',
      '/spec/resourceTypeSelector: unknown field',
    ]);
    expect(
      validateSchema(
        selector(
          { arn: 'arn:aws:iam::3333:role/x', namespaceSelector: { names: ['a'] } },
          { name: 'a', namespace: 'kube-system' },
        ),
      ),
    ).toEqual([
      '/metadata/namespace: unknown field',
      '/spec/arn must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)',
    ]);
  });
});
