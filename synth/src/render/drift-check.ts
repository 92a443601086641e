// Finds the fields Argo CD would report as drift forever: CRD defaults left out and not covered by the Application.
import { COMPARE_OPTIONS_ANNOTATION } from '../constructs/argo-application';
import { CRD_CONTRACTS, type CrdContract, isBuiltIn } from './crd-contracts';
import { applyCrdDefaults } from './crd-defaults';

/** One rendered file: its folder under the repository (e.g. `dist/prod`), its name and its object. */
export interface RenderedFile {
  readonly folder: string;
  readonly file: string;
  readonly obj: Readonly<Record<string, unknown>>;
}

/** One entry of an Application's `spec.ignoreDifferences` (the JSON-pointer form). */
export interface IgnoreDifference {
  readonly group?: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly jsonPointers?: readonly string[];
}

/** The parts of an Argo CD Application the drift check reads. */
export interface ApplicationLike {
  readonly metadata: { readonly name: string; readonly annotations?: Record<string, string> };
  readonly spec: {
    readonly source?: { readonly path?: string; readonly directory?: { readonly include?: string } };
    readonly ignoreDifferences?: readonly IgnoreDifference[];
  };
}

/** Whether the Application compares server-side (its compare options hold `ServerSideDiff=true`). */
export function comparesServerSide(app: ApplicationLike): boolean {
  const options = app.metadata.annotations?.[COMPARE_OPTIONS_ANNOTATION] ?? '';
  return options
    .split(',')
    .map((o) => o.trim())
    .includes('ServerSideDiff=true');
}

/**
 * "No permanent drift, at render time": for each rendered custom resource, the fields its CRD defaults at the
 * release we checked (crd-contracts.ts) that the render leaves out, unless the Application that syncs the file
 * compares server-side (the API server then applies the defaults to both sides) or one of its
 * `ignoreDifferences` JSON pointers covers the field. Argo CD's other diffs report each such field as OutOfSync
 * forever. Built-in kinds are left out: Argo CD normalises them with Kubernetes' own defaulting. Also reported:
 * a custom kind no checked release serves. Files no Application syncs (applied by an administrator) are skipped.
 * Only `jsonPointers` of `ignoreDifferences` are evaluated; `jqPathExpressions` and `managedFieldsManagers` count
 * as not covering (stricter, never a false pass).
 */
export function driftProblems(
  files: readonly RenderedFile[],
  applications: readonly ApplicationLike[],
  contracts: Readonly<Record<string, CrdContract>> = CRD_CONTRACTS,
): string[] {
  const problems: string[] = [];
  for (const { folder, file, obj } of files) {
    const apiVersion = String(obj.apiVersion);
    if (isBuiltIn(apiVersion)) continue;
    const app = applications.find((a) => syncs(a, folder, file));
    if (app === undefined) continue;
    const key = `${apiVersion}/${String(obj.kind)}`;
    const contract = contracts[key];
    const at = `${folder}/${file}`;
    if (contract === undefined) {
      problems.push(`${at}: ${key} is served by no release we checked (crd-contracts.ts)`);
      continue;
    }
    if (comparesServerSide(app)) continue;
    if (contract.defaults === 'unrecorded') {
      problems.push(
        `${at}: the defaults of ${key} at ${contract.release} are not recorded (crd-contracts.ts), so Application "${app.metadata.name}" must compare server-side`,
      );
      continue;
    }
    const live = structuredClone(obj) as Record<string, unknown>;
    for (const pointer of applyCrdDefaults(live, contract.defaults)) {
      if (ignored(app, obj, pointer)) continue;
      problems.push(
        `${at}: ${pointer} is defaulted by ${contract.release} but not rendered, and Application "${app.metadata.name}" neither compares server-side nor ignores it: OutOfSync forever`,
      );
    }
  }
  return problems;
}

function syncs(app: ApplicationLike, folder: string, file: string): boolean {
  if (app.spec.source?.path !== folder) return false;
  const include = app.spec.source.directory?.include;
  return include === undefined || globMatch(include, file);
}

/** Argo CD's `directory.include` glob, for the simple `*` patterns we render. */
function globMatch(glob: string, name: string): boolean {
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${pattern}$`).test(name);
}

function ignored(app: ApplicationLike, obj: Readonly<Record<string, unknown>>, pointer: string): boolean {
  const group = String(obj.apiVersion).split('/')[0];
  const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
  return (app.spec.ignoreDifferences ?? []).some(
    (d) =>
      (d.group ?? '') === group &&
      d.kind === obj.kind &&
      (d.name === undefined || d.name === meta.name) &&
      (d.namespace === undefined || d.namespace === meta.namespace) &&
      (d.jsonPointers ?? []).some((p) => pointer === p || pointer.startsWith(`${p}/`)),
  );
}
