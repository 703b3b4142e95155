import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway Prometheus server (the Debian package's /usr/bin/prometheus) scraping given
 * targets every second, with its TSDB in a temporary directory, listening on 127.0.0.1.
 */
export interface RunningPrometheus {
  baseUrl: string;
  /** Instant query at the current time; the result vector, values as numbers. */
  query(expression: string): Promise<QueriedSample[]>;
  /**
   * Waits until every job has been scraped, successfully, by a scrape that started after
   * `afterMs` (epoch ms); throws with the scrape error or the targets' state otherwise.
   */
  waitForScrapeAfter(afterMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface QueriedSample {
  labels: Record<string, string>;
  value: number;
}

export interface ScrapeJob {
  name: string;
  /** host:port of a /metrics endpoint. */
  target: string;
}

const INSTALL_HINT =
  'prometheus is not on PATH; install the test dependencies with scripts/install-test-deps.sh (Debian package prometheus)';
const START_ATTEMPTS = 3;
const READY_TIMEOUT_MS = 30_000;
const SCRAPE_WAIT_MS = 30_000;
const POLL_MS = 100;

export async function startPrometheus(jobs: readonly ScrapeJob[]): Promise<RunningPrometheus> {
  const probe = spawnSync('prometheus', ['--version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) throw new Error(INSTALL_HINT);

  const directory = await mkdtemp(join(tmpdir(), 'catalyst-prometheus-'));
  const configFile = join(directory, 'prometheus.yml');
  await writeFile(configFile, renderConfig(jobs));

  // The free port is found by binding and releasing it, so another process can take it in
  // between; Prometheus then exits at once and the next attempt picks another port.
  let lastFailure: Error | null = null;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await findFreePort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(directory, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady(baseUrl, child, () => stderr);
      return createHandle(baseUrl, child, directory, jobs);
    } catch (error) {
      lastFailure = error as Error;
      await stopChild(child);
    }
  }
  await rm(directory, { recursive: true, force: true });
  throw lastFailure!;
}

function renderConfig(jobs: readonly ScrapeJob[]): string {
  // scrape_timeout must stay below the interval, or Prometheus refuses the configuration.
  const lines = ['global:', '  scrape_interval: 1s', '  scrape_timeout: 800ms', 'scrape_configs:'];
  for (const job of jobs) {
    lines.push(`  - job_name: ${JSON.stringify(job.name)}`);
    lines.push('    static_configs:');
    lines.push(`      - targets: [${JSON.stringify(job.target)}]`);
  }
  return `${lines.join('\n')}\n`;
}

function createHandle(
  baseUrl: string,
  child: ChildProcess,
  directory: string,
  jobs: readonly ScrapeJob[],
): RunningPrometheus {
  const query = async (expression: string): Promise<QueriedSample[]> => {
    const url = `${baseUrl}/api/v1/query?query=${encodeURIComponent(expression)}`;
    const response = await fetch(url);
    const body = (await response.json()) as QueryResponse;
    if (body.status !== 'success') {
      throw new Error(`query ${expression} failed: ${body.errorType}: ${body.error}`);
    }
    return body.data.result.map((entry) => ({
      labels: entry.metric,
      value: parseSampleValue(entry.value[1]),
    }));
  };

  return {
    baseUrl,
    query,
    async waitForScrapeAfter(afterMs) {
      const deadline = Date.now() + SCRAPE_WAIT_MS;
      for (;;) {
        const targets = await activeTargets(baseUrl);
        const fresh = targets.filter((target) => Date.parse(target.lastScrape) > afterMs);
        // A fresh scrape that failed will not heal by waiting: report its error now.
        const failed = fresh.find((target) => target.health !== 'up');
        if (failed !== undefined) {
          throw new Error(`scrape of job ${failed.scrapePool} failed: ${failed.lastError}`);
        }
        if (jobs.every((job) => fresh.some((target) => target.scrapePool === job.name))) return;
        if (Date.now() > deadline) {
          throw new Error(
            `no scrape of every job after ${new Date(afterMs).toISOString()} within ${SCRAPE_WAIT_MS} ms: ${JSON.stringify(targets)}`,
          );
        }
        await delay(POLL_MS);
      }
    },
    async stop() {
      await stopChild(child);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

interface QueryResponse {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; value: [number, string] }>;
  };
}

interface ActiveTarget {
  scrapePool: string;
  health: string;
  lastError: string;
  lastScrape: string;
}

async function activeTargets(baseUrl: string): Promise<ActiveTarget[]> {
  const response = await fetch(`${baseUrl}/api/v1/targets?state=active`);
  const body = (await response.json()) as { data: { activeTargets: ActiveTarget[] } };
  return body.data.activeTargets.map(({ scrapePool, health, lastError, lastScrape }) => ({
    scrapePool,
    health,
    lastError,
    lastScrape,
  }));
}

function parseSampleValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

async function waitUntilReady(
  baseUrl: string,
  child: ChildProcess,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`prometheus exited with ${child.exitCode ?? child.signalCode}: ${stderr()}`);
    }
    const status = await fetch(`${baseUrl}/-/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) {
      throw new Error(`prometheus not ready within ${READY_TIMEOUT_MS} ms: ${stderr()}`);
    }
    await delay(POLL_MS);
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** SIGTERM, then SIGKILL if Prometheus has not exited within 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
