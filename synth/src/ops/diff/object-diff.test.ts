import { describe, expect, it } from 'vitest';
import { diffObject } from './object-diff';

const deployment = (image: string, env: { name: string; value: string }[]) => ({
  kind: 'Deployment',
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'sidecar', image: 'envoy:1' },
          { name: 'guestlist', image, env, command: ['node', 'main.mjs'] },
        ],
      },
    },
  },
});

describe('diffObject', () => {
  it('should match containers and env entries by name whatever their order', () => {
    const a = deployment('app:1', [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    const b = deployment('app:2', [
      { name: 'B', value: '3' },
      { name: 'A', value: '1' },
    ]);
    b.spec.template.spec.containers.reverse();
    expect(diffObject(a, b)).toEqual([
      {
        path: 'spec.template.spec.containers[name=guestlist].image',
        change: 'changed',
        before: 'app:1',
        after: 'app:2',
      },
      {
        path: 'spec.template.spec.containers[name=guestlist].env[name=B].value',
        change: 'changed',
        before: '2',
        after: '3',
      },
    ]);
  });

  it('should report nothing for a reorder of a list Kubernetes treats as a set', () => {
    const a = {
      spec: {
        policyTypes: ['Ingress', 'Egress'],
        egress: [{ ports: [{ port: 53 }] }, { ports: [{ port: 443 }] }],
      },
    };
    const b = {
      spec: {
        policyTypes: ['Egress', 'Ingress'],
        egress: [{ ports: [{ port: 443 }] }, { ports: [{ port: 53 }] }],
      },
    };
    expect(diffObject(a, b)).toEqual([]);
  });

  it('should show set members added and removed', () => {
    const a = { rules: [{ verbs: ['get'] }, { verbs: ['list'] }] };
    const b = { rules: [{ verbs: ['list'] }, { verbs: ['watch'] }] };
    expect(diffObject(a, b)).toEqual([
      { path: 'rules[-]', change: 'removed', before: { verbs: ['get'] } },
      { path: 'rules[+]', change: 'added', after: { verbs: ['watch'] } },
    ]);
  });

  it('should keep the order of a command, where order matters', () => {
    const a = { command: ['node', 'main.mjs'] };
    const b = { command: ['main.mjs', 'node'] };
    expect(diffObject(a, b).map((f) => f.path)).toEqual(['command[0]', 'command[1]']);
  });

  it('should quote keys that are not plain identifiers and report added and removed fields', () => {
    const a = { metadata: { annotations: { 'checksum/config': 'a' } } };
    const b = { metadata: { labels: { app: 'x' } } };
    expect(diffObject(a, b)).toEqual([
      { path: 'metadata.annotations', change: 'removed', before: { 'checksum/config': 'a' } },
      { path: 'metadata.labels', change: 'added', after: { app: 'x' } },
    ]);
    expect(diffObject({ a: { 'b/c': 1 } }, { a: { 'b/c': 2 } })[0]?.path).toBe('a."b/c"');
  });

  it('should fall back to set semantics when a keyed list repeats its key', () => {
    const a = {
      ports: [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
    };
    const b = {
      ports: [
        { port: 53, protocol: 'TCP' },
        { port: 53, protocol: 'UDP' },
      ],
    };
    expect(diffObject(a, b)).toEqual([]);
  });
});
