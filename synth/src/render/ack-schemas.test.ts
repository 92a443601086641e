import { describe, expect, it } from 'vitest';
import { ackProblems } from './ack-schemas';

const policy = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

const table = () => ({
  apiVersion: 'dynamodb.services.k8s.aws/v1alpha1',
  kind: 'Table',
  metadata: {
    name: 'guestlist',
    namespace: 'guestlist-dev',
    annotations: { 'services.k8s.aws/deletion-policy': 'retain' },
  },
  spec: {
    tableName: 'GuestList-dev',
    attributeDefinitions: [{ attributeName: 'seq_num', attributeType: 'S' }],
    keySchema: [{ attributeName: 'seq_num', keyType: 'HASH' }],
    billingMode: 'PAY_PER_REQUEST',
    continuousBackups: { pointInTimeRecoveryEnabled: true },
    sseSpecification: { enabled: true, sseType: 'KMS' },
    deletionProtectionEnabled: true,
    tags: [{ key: 'app', value: 'guestlist' }],
  },
});

const role = () => ({
  apiVersion: 'iam.services.k8s.aws/v1alpha1',
  kind: 'Role',
  metadata: { name: 'guestlist', namespace: 'guestlist-dev' },
  spec: {
    name: 'guestlist-dev',
    maxSessionDuration: 3600,
    assumeRolePolicyDocument: policy({
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    }),
    inlinePolicies: {
      'guestlist-dynamodb': policy({
        Sid: 'GuestsTable',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem'],
        Resource: 'arn:aws:dynamodb:eu-west-1:111111111111:table/GuestList-dev',
      }),
    },
    tags: [],
  },
});

describe('ackProblems', () => {
  it('should accept what synth renders and ignore kinds that are not ACK kinds', () => {
    expect(ackProblems(table())).toEqual([]);
    expect(ackProblems(role())).toEqual([]);
    expect(
      ackProblems({
        apiVersion: 'eks.services.k8s.aws/v1alpha1',
        kind: 'PodIdentityAssociation',
        metadata: { name: 'guestlist', namespace: 'guestlist-dev' },
        spec: {
          clusterName: 'dev',
          namespace: 'guestlist-dev',
          serviceAccount: 'guestlist',
          roleARN: 'arn:aws:iam::111111111111:role/guestlist-dev',
          tags: { app: 'guestlist' },
        },
      }),
    ).toEqual([]);
    expect(ackProblems({ apiVersion: 'v1', kind: 'ConfigMap' })).toBeUndefined();
  });

  it('should name every unknown field by its JSON path, with the nearest known field', () => {
    const t = table() as Record<string, unknown> & { spec: Record<string, unknown> };
    t.spec.billingMod = 'PAY_PER_REQUEST';
    (t.spec.continuousBackups as Record<string, unknown>).enabled = true;
    (t.spec.keySchema as Record<string, unknown>[])[0] = {
      attributeName: 'seq_num',
      keyTpye: 'HASH',
    };
    t.status = {};
    expect(ackProblems(t)).toEqual([
      '/spec/keySchema/0/keyType is required',
      '/spec/keySchema/0/keyTpye: unknown field; did you mean "keyType"?',
      '/spec/continuousBackups/enabled: unknown field',
      '/spec/billingMod: unknown field; did you mean "billingMode"?',
      '/status: unknown field',
    ]);
  });

  it('should check required fields, values and the policy documents inside a Role', () => {
    const t = table() as { spec: Record<string, unknown> };
    delete t.spec.tableName;
    t.spec.billingMode = 'ON_DEMAND';
    expect(ackProblems(t)).toEqual([
      '/spec/tableName is required',
      '/spec/billingMode Invalid option: expected one of "PAY_PER_REQUEST"|"PROVISIONED"',
    ]);
    const r = role();
    r.spec.assumeRolePolicyDocument = '{"Version":"2012-10-17"';
    r.spec.inlinePolicies['guestlist-dynamodb'] = policy({
      Effect: 'Allow',
      Actions: ['dynamodb:GetItem'],
      Resource: [],
    });
    expect(ackProblems(r)).toEqual([
      '/spec/assumeRolePolicyDocument must be a JSON policy document (the text does not parse as JSON)',
      '/spec/inlinePolicies/guestlist-dynamodb/Statement/0/Action is required',
      '/spec/inlinePolicies/guestlist-dynamodb/Statement/0/Resource Too small: expected array to have >=1 items',
      '/spec/inlinePolicies/guestlist-dynamodb/Statement/0/Actions: unknown field; did you mean "Action"?',
    ]);
  });
});
