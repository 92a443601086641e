// bench:api's memory comparison: the service and a minimal Hono + SDK service, both fresh, under the same load.
import { freePort } from '../test/free-port';
import type { HttpClientKind } from './http-operation';
import { rssMiB, sampleRss, startNodeServer } from './processes';
import type { LoadShape } from './run-load';
import type { Scenario } from './scenario';
import type { ScenarioResult } from './stats';

/** RSS of one process: after start (settled for a second), the highest seen under load, and after it. */
export interface MemoryOf {
  readonly idleMiB: number;
  readonly peakMiB: number;
  readonly afterMiB: number;
}

/** The comparison as written to build/bench-api.json (`memory`). */
export interface MemoryComparison {
  readonly service: MemoryOf;
  readonly reference: MemoryOf;
  /** What each got, in this order, alternating scenario by scenario: the same for both. */
  readonly load: readonly { readonly name: string; readonly service: number; readonly reference: number }[];
}

/** What {@link compareMemoryWith} needs from the bench. */
export interface MemoryBench {
  readonly serviceScript: string;
  readonly referenceScript: string;
  readonly shape: LoadShape;
  readonly client: HttpClientKind;
  readonly log: (message: string) => void;
}

const settle = () => new Promise((r) => setTimeout(r, 1000));

/**
 * Starts a fresh service and the reference (`reference-server.ts`) on the same tables, reads their idle RSS,
 * then drives each with the same scenarios (probe, read by id, a page of 1,000, create), alternating, while
 * sampling both RSS every 100 ms. Fresh processes, because the service of the main run has by then been
 * through every round and the seeding of 20,000 guests: its peak is reported there.
 */
export const compareMemoryWith =
  (bench: MemoryBench) =>
  async (
    env: Readonly<Record<string, string>>,
    seqNums: readonly string[],
    run: (scenario: Scenario) => Promise<ScenarioResult>,
  ): Promise<MemoryComparison> => {
    const [service, reference] = [
      await startNodeServer({ script: bench.serviceScript, port: await freePort(), env }),
      await startNodeServer({ script: bench.referenceScript, port: await freePort(), env }),
    ];
    try {
      await settle();
      const idle = [rssMiB(service.pid), rssMiB(reference.pid)] as const;
      const peaks = [sampleRss(service.pid), sampleRss(reference.pid)] as const;
      const scenario = (name: string, baseUrl: string, spec: Record<string, unknown>): Scenario => ({
        kind: 'http',
        name,
        spec: { baseUrl, method: 'GET', paths: ['/healthz'], expectStatus: 200, ...spec },
        shape: bench.shape,
        client: bench.client,
      });
      const specs: [string, (side: number) => Record<string, unknown>][] = [
        ['GET /healthz', () => ({ paths: ['/healthz'] })],
        ['GET /guests/:seq_num', () => ({ paths: seqNums.map((s) => `/guests/${s}`) })],
        ['GET /guests (1,000)', () => ({ paths: ['/guests?limit=1000'] })],
        [
          'POST /guests',
          (side) => ({
            method: 'POST',
            paths: ['/guests'],
            expectStatus: 201,
            uniqueGuestFrom: 70e9 + side * 1e9,
          }),
        ],
      ];
      const load: { name: string; service: number; reference: number }[] = [];
      for (const [name, spec] of specs) {
        const a = await run(scenario(`memory: service ${name}`, service.baseUrl, spec(0)));
        const b = await run(scenario(`memory: reference ${name}`, reference.baseUrl, spec(1)));
        load.push({ name, service: a.allRequests ?? 0, reference: b.allRequests ?? 0 });
        bench.log(
          `memory ${name}: ${a.allRequests} requests to the service, ${b.allRequests} to the reference`,
        );
      }
      const peak = [peaks[0].stop(), peaks[1].stop()] as const;
      await settle();
      const after = [rssMiB(service.pid), rssMiB(reference.pid)] as const;
      const of = (i: 0 | 1): MemoryOf => ({ idleMiB: idle[i], peakMiB: peak[i], afterMiB: after[i] });
      return { service: of(0), reference: of(1), load };
    } finally {
      await Promise.all([service.stop(), reference.stop()]);
    }
  };

/** One line per process for the printed report. */
export function renderMemory(m: MemoryComparison): string {
  const line = (name: string, r: MemoryOf) =>
    `${name}: RSS idle ${r.idleMiB.toFixed(1)} MiB, peak under load ${r.peakMiB.toFixed(1)} MiB, after ${r.afterMiB.toFixed(1)} MiB`;
  return [
    'Memory, both fresh, the same load:',
    line('  service', m.service),
    line('  minimal Hono + SDK', m.reference),
  ].join('\n');
}
