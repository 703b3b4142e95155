import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import type { ExpositionSample } from '../helpers/exposition.js';
import { checkMetrics } from '../helpers/promtool.js';
import { pushRaw } from '../helpers/push.js';
import {
  GZIP_BOMB_INFLATED_BYTES,
  HOSTILE_HTTP,
  NEIGHBOUR_SERVICE,
  NEIGHBOUR_VALUE,
  RECEIVERS,
  caseLabel,
  isLogReceiver,
  neighbourMetricOf,
  neighbourRequest,
  type Counted,
  type HostileRequest,
  type ReceiverName,
} from '../fixtures/hostile-http.js';

/**
 * Every HTTP push receiver against every case of the hostile HTTP corpus, on the built
 * daemon. After each case: the daemon is up, the refusal is counted by exactly what the
 * case says, the neighbour sample landed with its exact value, and promtool accepts
 * /metrics. Run on both HTTP engines: each reads and bounds bodies its own way.
 */

const WAIT_MS = 10_000;

function sumOf(samples: ExpositionSample[], counted: Counted): number {
  return samples
    .filter(
      (s) =>
        s.name === counted.name &&
        Object.entries(counted.labels).every(([key, value]) => s.labels[key] === value),
    )
    .reduce((sum, s) => sum + s.value, 0);
}

/** VmHWM: the daemon's peak resident memory so far, in bytes (threads included). */
function peakRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
}

async function until<T>(probe: () => Promise<T | undefined>, describe: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not within ${WAIT_MS} ms: ${describe}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function neighbourLanded(
  daemon: RunningDaemon,
  receiver: ReceiverName,
  label: string,
): Promise<unknown> {
  if (isLogReceiver(receiver)) {
    return until(async () => {
      const response = await fetch(
        `${daemon.baseUrl}/api/v1/logs?service=${NEIGHBOUR_SERVICE}&limit=10000`,
      );
      const { records } = (await response.json()) as { records: Array<{ message: string }> };
      const mine = records.filter((record) => record.message === label);
      return mine.length > 0 ? mine : undefined;
    }, `the neighbour record ${label}`);
  }
  return until(async () => {
    const found = (await daemon.samples()).filter(
      (s) => s.name === neighbourMetricOf(receiver) && s.labels.case === label,
    );
    return found.length > 0 ? found.map((s) => s.value) : undefined;
  }, `the neighbour sample ${label}`);
}

const ENGINES = [
  { engine: 'auto', args: [] as string[] },
  { engine: 'node:http', args: ['--http-engine', 'node'] },
];

describe.each(ENGINES)('the hostile HTTP corpus on the $engine engine', ({ args }) => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(args);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  for (const receiver of RECEIVERS) {
    for (const [caseName, build] of Object.entries(HOSTILE_HTTP)) {
      const label = caseLabel(receiver, caseName);
      const request: HostileRequest | null = build(receiver, label);
      if (request === null) continue;

      it(`${receiver}: ${caseName} answers ${request.status}, is counted, and the neighbour lands`, async () => {
        const port = daemon.ports.http!;
        const before = await daemon.samples();
        const peakBefore = peakRssBytes(daemon.process.pid!);

        const response = await pushRaw(port, request);
        expect(response.status, response.text).toBe(request.status);
        const counted = [...request.counted];
        if (!request.hasNeighbour) {
          const neighbour = neighbourRequest(receiver, label);
          expect((await pushRaw(port, neighbour)).status).toBe(neighbour.status);
          counted.push(...neighbour.counted);
        }

        const landed = await neighbourLanded(daemon, receiver, label);
        if (isLogReceiver(receiver)) {
          expect(landed).toEqual([expect.objectContaining({ message: label })]);
        } else {
          expect(landed).toEqual([NEIGHBOUR_VALUE]);
        }
        // The same counter twice (the case's 200 and the neighbour's) moves by both.
        const expectedBy = new Map<string, { one: (typeof counted)[number]; by: number }>();
        for (const one of counted) {
          const key = JSON.stringify([one.name, one.labels]);
          const entry = expectedBy.get(key) ?? { one, by: 0 };
          entry.by += one.by;
          expectedBy.set(key, entry);
        }
        const after = await until(async () => {
          const samples = await daemon.samples();
          const isCounted = [...expectedBy.values()].every(
            ({ one, by }) => sumOf(samples, one) >= sumOf(before, one) + by,
          );
          return isCounted ? samples : undefined;
        }, `the counters of ${label}`);
        for (const { one, by } of expectedBy.values()) {
          expect(sumOf(after, one), JSON.stringify(one)).toBe(sumOf(before, one) + by);
        }

        if (caseName === 'gzip bomb') {
          // Cut off while inflating: the peak grows by far less than the bomb inflates to.
          const growth = peakRssBytes(daemon.process.pid!) - peakBefore;
          expect(growth).toBeLessThan(GZIP_BOMB_INFLATED_BYTES / 4);
        }
        const text = await daemon.scrape();
        const lines = text.split('\n');
        for (const line of request.exposed ?? []) expect(lines).toContain(line);
        expect(text.split('\n').filter((line) => line.startsWith('fake_metric'))).toEqual([]);
        expect((await checkMetrics(text)).parseError).toBeNull();
        expect(daemon.process.exitCode).toBeNull();
        expect((await fetch(`${daemon.baseUrl}/-/healthy`)).status).toBe(200);
      });
    }
  }
});
