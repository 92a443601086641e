import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Options of {@link writeKubeconfig}. */
export interface KubeconfigOptions {
  readonly server: string;
  readonly token?: string;
  /** PEM of the CA that signed the server's certificate (written as certificate-authority-data). */
  readonly ca?: string;
  /** @default 'test' */
  readonly context?: string;
  /** Extra contexts on the same cluster and user. */
  readonly otherContexts?: readonly string[];
  /** Leave out current-context. */
  readonly noCurrentContext?: boolean;
}

/** Writes a kubeconfig with one cluster, one bearer-token user and its contexts; returns the path. */
export function writeKubeconfig(path: string, o: KubeconfigOptions): string {
  const context = o.context ?? 'test';
  const contexts = [context, ...(o.otherContexts ?? [])]
    .map((name) => `  - name: ${name}\n    context:\n      cluster: test-cluster\n      user: ci-reader\n`)
    .join('');
  const ca = o.ca ? `\n      certificate-authority-data: ${Buffer.from(o.ca).toString('base64')}` : '';
  const text = `apiVersion: v1
kind: Config
clusters:
  - name: test-cluster
    cluster:
      server: ${o.server}${ca}
users:
  - name: ci-reader
    user:
${o.token ? `      token: ${o.token}` : '      {}'}
contexts:
${contexts}${o.noCurrentContext ? '' : `current-context: ${context}\n`}`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}
