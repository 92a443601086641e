// The one shape every doctor check reports: where (file:line, key), what (value), which rule, why it would
// break a first deploy, and what to do about it; the text and JSON output are both made from it.

/** The rules of `npm run doctor`; each finding names one. */
export const DOCTOR_RULES = [
  'sample-account-id',
  'sample-certificate',
  'sample-registry',
  'sample-oidc-provider',
  'sample-host',
  'sample-repo-url',
  'sample-workflow-value',
  'certificate-region',
  'add-on-unspecified',
  'prerequisite',
  'workflow-setting',
  'argocd-install-pin',
] as const;

/** One doctor rule id. */
export type DoctorRule = (typeof DOCTOR_RULES)[number];

/**
 * `breaks`: the first deploy fails as committed (exit 1). `warns`: doctor sees it in the repository and it
 * should be done, but a first deploy works without it (a supply-chain pin): listed, exit code unchanged.
 * `check`: doctor cannot see it from the repository (a cluster add-on, an AWS object, a GitHub setting); the
 * finding carries the command that checks it.
 */
export type Severity = 'breaks' | 'warns' | 'check';

/** One thing that is, or may be, not ready for a first real deploy. */
export interface Finding {
  readonly severity: Severity;
  readonly rule: DoctorRule;
  /** Repository-relative path, e.g. `environments/prod.yaml`. */
  readonly file: string;
  /** 1-based line of the key (or of the nearest key to add it under). */
  readonly line: number;
  /** Key path in that file, e.g. `ingress.certificateArn`, or the component a check is about. */
  readonly key: string;
  /** The value as written (or as defaulted); empty for a check about something absent. */
  readonly value: string;
  /** Why it would break a first deploy. */
  readonly why: string;
  /** What to change or do. */
  readonly fix: string;
  /**
   * The exact `kubectl` / `aws` / `gh` command that shows whether it is in place (checks, and where useful); for
   * a warning, the command that fixes it.
   */
  readonly command?: string;
  /** The named environments it affects (empty: every environment, e.g. a workflow or the Git repository). */
  readonly environments: readonly string[];
}

/**
 * Orders findings: what breaks first, then warnings, then checks, each by file and line; findings at one line keep the order they were
 * made in (the cluster itself before the add-ons on it), so the output is stable.
 */
export function byImportance(a: Finding, b: Finding): number {
  const rank = (f: Finding) => (f.severity === 'breaks' ? 0 : f.severity === 'warns' ? 1 : 2);
  return rank(a) - rank(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line;
}

/**
 * Merges findings that are the same thing seen from several environments (a cluster entry shared by two of
 * them): one finding, every environment named.
 */
export function mergeFindings(findings: readonly Finding[]): Finding[] {
  const merged = new Map<string, Finding>();
  for (const f of findings) {
    const id = `${f.severity}\0${f.rule}\0${f.file}\0${f.line}\0${f.key}\0${f.value}\0${f.command ?? ''}`;
    const seen = merged.get(id);
    const environments = [...new Set([...(seen?.environments ?? []), ...f.environments])].sort();
    merged.set(id, { ...(seen ?? f), environments });
  }
  return [...merged.values()].sort(byImportance);
}
