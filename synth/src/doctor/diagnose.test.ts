// The pure decision: add-ons a modelled cluster entry leaves unspecified break the first deploy (and only
// then), every prerequisite component has its check, findings of a shared cluster entry merge, and samples
// written into a workflow are caught.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentChart, type K8sObject } from '../charts';
import { PREREQUISITES } from '../charts/prerequisites';
import { type EnvironmentConfig, loadEnvironments } from '../config';
import { ADD_ON_IDS, type AddOnId, type ClusterAddOns } from './cluster-add-ons';
import { diagnose } from './diagnose';
import { prerequisiteCheck, WHY_NEEDED } from './prerequisite-checks';

const ROOT = join(__dirname, '..', '..', '..');
const environments = loadEnvironments(join(ROOT, 'environments'));
const byName = (name: string) => environments.find((e) => e.name === name) as EnvironmentConfig;
const withObjects = (config: EnvironmentConfig) => ({
  config,
  objects: environmentChart(config).toJson() as K8sObject[],
});
const lineOf = () => 1;

/** A cluster entry that models add-ons and declares only these (pinned). */
const declaring = (declared: readonly AddOnId[]): ClusterAddOns => ({
  modelled: true,
  provision: (id) =>
    declared.includes(id) ? { by: 'pinned', version: '1.0.0', key: `addOns.${id}` } : { by: 'unspecified' },
});

describe('diagnose', () => {
  it('should list add-ons as checks, never as breaking, while cluster entries cannot declare them', () => {
    const report = diagnose({ environments: [withObjects(byName('prod'))], workflows: [], lineOf });
    expect(report.findings.filter((f) => f.rule === 'add-on-unspecified')).toEqual([]);
    const checked = report.findings.filter((f) => f.rule === 'prerequisite').map((f) => f.key);
    expect(checked).toEqual(expect.arrayContaining(PREREQUISITES.map((p) => p.component)));
  });

  it('should break on each needed add-on a modelled cluster entry leaves unspecified', () => {
    const prod = byName('prod');
    const all = Object.values(ADD_ON_IDS);
    const missing: AddOnId[] = ['ack-iam', 'external-secrets'];
    const report = diagnose({
      environments: [withObjects(prod)],
      workflows: [],
      lineOf,
      addOnsOf: () => declaring(all.filter((id) => !missing.includes(id))),
    });
    const unspecified = report.findings.filter((f) => f.rule === 'add-on-unspecified');
    expect(unspecified.map((f) => f.key).sort()).toEqual(['ack-iam', 'external-secrets']);
    expect(
      unspecified.every((f) => f.severity === 'breaks' && f.file === 'environments/clusters/prod-eks.yaml'),
    ).toBe(true);
    expect(unspecified.find((f) => f.key === 'ack-iam')?.command).toContain(
      'get crd roles.iam.services.k8s.aws',
    );
    const pinned = report.findings.find((f) => f.key === 'ACK DynamoDB controller');
    expect(pinned).toMatchObject({ severity: 'check', value: 'pinned at 1.0.0' });
  });

  it('should not ask for an add-on the environment does not render (no Pod Identity agent for IRSA)', () => {
    const dev = byName('dev');
    const report = diagnose({
      environments: [withObjects(dev)],
      workflows: [],
      lineOf,
      addOnsOf: () => declaring([]),
    });
    const keys = report.findings.filter((f) => f.rule === 'add-on-unspecified').map((f) => f.key);
    expect(keys).not.toContain('eks-pod-identity-agent');
    expect(keys).toContain('metrics-server');
  });

  it('should name every environment of a shared cluster entry once', () => {
    const prod = byName('prod');
    const twin = { ...prod, name: 'prod-2', source: 'environments/prod-2.yaml' };
    const report = diagnose({ environments: [withObjects(prod), withObjects(twin)], workflows: [], lineOf });
    const account = report.findings.filter((f) => f.rule === 'sample-account-id');
    expect(account).toHaveLength(1);
    expect(account[0]?.environments).toEqual(['prod', 'prod-2']);
  });

  it('should catch sample values written into a workflow, and ask for the settings it reads', () => {
    // A GitHub expression, `${{ ... }}`, built so it is not read as a template placeholder.
    const expr = (inner: string) => `${'$'}{{ ${inner} }}`;
    const text = [
      'on:',
      '  workflow_call:',
      '    secrets:',
      '      app-private-key: { required: true }',
      'jobs:',
      '  build:',
      '    steps:',
      '      - with:',
      '          role-to-assume: arn:aws:iam::111111111111:role/guestlist-build # comment vars.IGNORED',
      '          registry: registry.example.com',
      `          app-id: ${expr('vars.GUESTLIST_APP_ID')}`,
      `          key: ${expr('secrets.app-private-key')}`,
      `          token: ${expr('secrets.GITHUB_TOKEN')}`,
    ].join('\n');
    const report = diagnose({
      environments: [],
      workflows: [{ file: '.github/workflows/x.yml', text }],
      lineOf,
    });
    const breaking = report.findings.filter((f) => f.severity === 'breaks');
    expect(breaking.map((f) => `${f.line} ${f.value}`)).toEqual([
      '9 arn:aws:iam::111111111111:role/guestlist-build',
      '10 registry.example.com',
    ]);
    const settings = report.findings.filter((f) => f.rule === 'workflow-setting').map((f) => f.key);
    expect(settings).toEqual(['vars.GUESTLIST_APP_ID']);
  });

  it('should have a check and a reason for every prerequisite component', () => {
    const target = { region: 'eu-west-1', namespace: 'guestlist-x', objects: [] };
    for (const { component } of PREREQUISITES) {
      expect(prerequisiteCheck(component, target), component).toBeDefined();
      expect(WHY_NEEDED[component], component).toBeDefined();
      expect((ADD_ON_IDS as Record<string, string>)[component], component).toBeDefined();
    }
  });
});
