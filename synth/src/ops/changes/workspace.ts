// The repository as the ops commands see it: environment files, the renderer with every gate, and dist/.
import type { EnvironmentView } from '../../config';
import type { FolderFiles, RenderedTree } from '../../domain/rendered-tree';

/** Environment file changes: file name (e.g. `alice.yaml`) → new text, or null to delete it. */
export type EnvOverrides = ReadonlyMap<string, string | null>;

/**
 * The repository as the ops commands see it: environment files, the renderer with all its gates, and dist/.
 * One implementation (`repo-workspace.ts`) drives the synth core in-process.
 */
export interface Workspace {
  /** Repository root (absolute). */
  readonly root: string;
  /** Environments folder relative to the root, e.g. `environments`. */
  readonly environmentsDir: string;
  /** Output folder relative to the root, e.g. `dist`. */
  readonly distDir: string;
  /** File names of every environment file, sorted. */
  envFiles(): string[];
  /** File name of environment `name` (`<name>.yaml` or `.yml`), or undefined when there is none. */
  envFile(name: string): string | undefined;
  /** Raw text of an environment file (by file name), or undefined. */
  readEnvText(file: string): string | undefined;
  /**
   * The environments of these file texts, each validated on first use (schema, name, image policy), so a
   * command reads only the files it needs; a refusal listing the file's errors. Cross-file checks (promotion
   * sources, cycles) run in `render`, before anything is written.
   */
  load(texts: ReadonlyMap<string, string>): ReadonlyMap<string, EnvironmentView>;
  /**
   * Renders what `overrides` affects through every gate of `npm run synth`: output folder → files, with
   * null for a folder that must be removed. Writes nothing; a refusal listing every error.
   */
  render(overrides: EnvOverrides): ReadonlyMap<string, FolderFiles | null>;
  /** Renders every environment and dist/argocd from the files on disk, through every gate; writes nothing. */
  renderAll(): RenderedTree;
  /** The files of one output folder as on disk now (undefined when it does not exist). */
  readDist(folder: string): FolderFiles | undefined;
  /** Writes environment files and output folders, all or nothing. */
  write(overrides: EnvOverrides, dist: ReadonlyMap<string, FolderFiles | null>): void;
}
