// Reads a V8 CPU profile (`node --cpu-prof`) of the service bundle and says which package the CPU went
// to: each sample is charged to the nearest frame on its stack that lies in the bundle, mapped through
// the bundle's source map to its source file, and so to its npm package (or to the service's own file).
// Time in Node's internals (socket writes, HTTP parsing, promise machinery) is thereby charged to the
// package that called into them, which is what a "what would removing X save" question needs.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { SourceMapConsumer } from 'source-map-js';

/** The parts of a `.cpuprofile` file this module reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
    readonly children?: readonly number[];
  }[];
  /** Microseconds on the monotonic clock (`process.hrtime`) at which sampling started. */
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A span of the monotonic clock in microseconds, as `process.hrtime.bigint() / 1000n` reads it. */
export interface ProfileWindow {
  readonly fromUs: number;
  readonly toUs: number;
}

/** Maps a 0-based line and column of the bundle to the source file it came from, if known. */
export type SourceResolver = (line: number, column: number) => string | undefined;

/** One row of the breakdown. */
export interface ProfileShare {
  /** An npm package (`@smithy/core`), a service file (`service/src/app.ts`) or a bucket in parentheses. */
  readonly owner: string;
  /** CPU time charged to it, ms. */
  readonly ms: number;
  /** Its share of the busy (non-idle) time, 0..1. */
  readonly share: number;
}

/** The breakdown of one profile. */
export interface ProfileBreakdown {
  /** Sampled time the process was running JavaScript, native code or GC, ms. */
  readonly busyMs: number;
  /** Sampled idle time, ms. */
  readonly idleMs: number;
  /** Owners by CPU time, largest first. */
  readonly byOwner: readonly ProfileShare[];
  /** The {@link NODE_ONLY} time by the function on top of the stack (`writev`, `runMicrotasks`, ...). */
  readonly nodeOnlyByFrame: readonly ProfileShare[];
}

/** Owner for samples whose stack holds no bundle frame: Node's own work (timers, sockets, microtasks). */
export const NODE_ONLY = '(node: no bundled code on the stack)';
/** Owner for garbage collection, which V8 samples as a frame of its own. */
export const GARBAGE_COLLECTOR = '(garbage collector)';

/** The owner of a source path: its npm package, or its path relative to `root` for the service's own code. */
export function ownerOfSource(source: string, root: string): string {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
  if (match?.[1] !== undefined) return match[1];
  const path = source.startsWith('file://') ? new URL(source).pathname : source;
  return path.startsWith('/') ? relative(root, path) : path.replace(/^(\.\.\/)+/, '');
}

/**
 * Charges each sample to the owner of the nearest bundle frame on its stack (`bundleUrl` is the
 * bundle's `file://` URL), using `resolve` to find the frame's source file. With a `window`, only
 * samples taken inside it count (to leave out start-up and warm-up).
 */
export function breakdownByOwner(
  profile: CpuProfile,
  bundleUrl: string,
  resolve: SourceResolver,
  root: string,
  window?: ProfileWindow,
): ProfileBreakdown {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const timeByNode = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window !== undefined && (at < window.fromUs || at > window.toUs)) return;
    timeByNode.set(id, (timeByNode.get(id) ?? 0) + delta);
  });

  const ownerOfNode = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = ownerOfNode.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    let owner: string;
    if (node === undefined) owner = NODE_ONLY;
    else if (node.callFrame.url === bundleUrl) {
      const source = resolve(node.callFrame.lineNumber, node.callFrame.columnNumber);
      owner = source === undefined ? '(bundle, unmapped)' : ownerOfSource(source, root);
    } else {
      const parent = parentOf.get(id);
      owner = parent === undefined ? NODE_ONLY : ownerOf(parent);
    }
    ownerOfNode.set(id, owner);
    return owner;
  };

  const msByOwner = new Map<string, number>();
  const msByNodeFrame = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  for (const [id, us] of timeByNode) {
    const name = byId.get(id)?.callFrame.functionName;
    if (name === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const owner = name === '(garbage collector)' ? GARBAGE_COLLECTOR : ownerOf(id);
    msByOwner.set(owner, (msByOwner.get(owner) ?? 0) + us / 1000);
    if (owner === NODE_ONLY) {
      const frame = byId.get(id)?.callFrame;
      const key = `${frame?.functionName || '(anonymous)'} (${frame?.url || 'native'})`;
      msByNodeFrame.set(key, (msByNodeFrame.get(key) ?? 0) + us / 1000);
    }
  }
  const busyMs = busyUs / 1000;
  const rows = (byKey: Map<string, number>) =>
    [...byKey]
      .map(([owner, ms]) => ({ owner, ms, share: busyMs > 0 ? ms / busyMs : 0 }))
      .sort((a, b) => b.ms - a.ms || a.owner.localeCompare(b.owner));
  return { busyMs, idleMs: idleUs / 1000, byOwner: rows(msByOwner), nodeOnlyByFrame: rows(msByNodeFrame) };
}

/** A {@link SourceResolver} reading the bundle's source map file (esbuild's `sourcemap: 'linked'`). */
export function sourceMapResolver(mapFile: string): SourceResolver {
  const consumer = new SourceMapConsumer(JSON.parse(readFileSync(mapFile, 'utf8')));
  return (line, column) => {
    // V8 counts lines and columns from 0; source maps count lines from 1 and columns from 0.
    // A function's frame points at its start, which may lie before the line's first mapping.
    const at = (bias: number) => consumer.originalPositionFor({ line: line + 1, column, bias }).source;
    return at(SourceMapConsumer.GREATEST_LOWER_BOUND) ?? at(SourceMapConsumer.LEAST_UPPER_BOUND) ?? undefined;
  };
}
