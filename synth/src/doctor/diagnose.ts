// `doctor`'s decision, as a pure function: from the loaded environments (with their rendered objects), the
// repository setting and the workflows' text, every finding of a first real deploy, merged and ordered.
import type { K8sObject } from '../charts';
import type { ClusterEntry, EnvironmentConfig } from '../config';
import { argocdInstallPinFinding } from './argocd-install-pin';
import { certificateRegionFinding } from './certificate-region';
import { type ClusterAddOns, clusterAddOns } from './cluster-add-ons';
import { environmentSamples, type LineOf } from './environment-samples';
import { type Finding, mergeFindings } from './finding';
import { prerequisiteFindings } from './prerequisite-findings';
import { sampleGitUrl } from './sample-values';
import { type WorkflowFile, workflowFindings } from './workflow-findings';

/** One environment to diagnose: its loaded config and what it renders. */
export interface DiagnosedEnvironment {
  readonly config: EnvironmentConfig;
  readonly objects: readonly K8sObject[];
}

/** Everything doctor looks at; the command reads it from the repository. */
export interface DoctorInput {
  /** The named environments (every environment when none was named). */
  readonly environments: readonly DiagnosedEnvironment[];
  /** The Git repository Argo CD pulls from (`argocd/repo.yaml`). */
  readonly repo?: { readonly file: string; readonly repoURL: string };
  readonly workflows: readonly WorkflowFile[];
  /** `argocd/install/kustomization.yaml` (absent in a copy without argocd/: no finding). */
  readonly argocdInstall?: { readonly file: string; readonly text: string | undefined };
  readonly lineOf: LineOf;
  /** The add-on facts of a cluster entry. @default clusterAddOns (today's schema: none modelled) */
  readonly addOnsOf?: (entry: ClusterEntry | undefined) => ClusterAddOns;
}

/** What doctor found. */
export interface DoctorReport {
  readonly environments: readonly string[];
  /** Breaking findings first, then checks; each names file:line. */
  readonly findings: readonly Finding[];
  /** How many findings would break a first deploy (exit 1 when any). */
  readonly breaks: number;
  /** How many findings are warnings (listed; the exit code does not change). */
  readonly warnings: number;
}

/** Every finding of a first real deploy of the given environments. */
export function diagnose(input: DoctorInput): DoctorReport {
  const addOnsOf = input.addOnsOf ?? clusterAddOns;
  const found: Finding[] = [];
  for (const { config, objects } of input.environments) {
    found.push(...environmentSamples(config, input.lineOf));
    const region = certificateRegionFinding(config, input.lineOf);
    if (region) found.push(region);
    found.push(...prerequisiteFindings(config, objects, input.lineOf, addOnsOf(config.clusterEntry)));
  }
  if (input.repo) {
    const why = sampleGitUrl(input.repo.repoURL);
    if (why !== undefined) {
      found.push({
        severity: 'breaks',
        rule: 'sample-repo-url',
        file: input.repo.file,
        line: input.repo.file ? (input.lineOf(input.repo.file, ['data', 'repoURL']) ?? 1) : 1,
        key: 'data.repoURL',
        value: input.repo.repoURL,
        why: `${why}: Argo CD clones nothing, and no Application ever syncs`,
        fix: `set data.repoURL in ${input.repo.file} to your fork's clone URL (git remote get-url origin)`,
        environments: [],
      });
    }
  }
  found.push(...workflowFindings(input.workflows));
  const pin =
    input.argocdInstall && argocdInstallPinFinding(input.argocdInstall.text, input.argocdInstall.file);
  if (pin) found.push(pin);
  const findings = mergeFindings(found);
  return {
    environments: input.environments.map((e) => e.config.name),
    findings,
    breaks: findings.filter((f) => f.severity === 'breaks').length,
    warnings: findings.filter((f) => f.severity === 'warns').length,
  };
}
