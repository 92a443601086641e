/** Where the rendered manifests live in git (Argo CD sources). */
export interface RepoSettings {
  /** Git URL Argo CD pulls from. */
  readonly repoURL: string;
  /** Branch or tag Argo CD tracks. */
  readonly targetRevision: string;
  /** Folder of rendered manifests in the repo; each environment is `<distPath>/<env>`. */
  readonly distPath: string;
}
