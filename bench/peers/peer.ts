/**
 * A peer StatsD server the suite measures beside catalyst-metrics, when installed. Each runs
 * as a child process on its own loopback ports with a config written to a temporary
 * directory, and says how to count what it received from what it exposes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort, freeUdpPort, stopChild } from '../load/daemon-process.js';
import type { WorkloadShape } from '../load/workload.js';

export interface PeerPorts {
  udpPort: number;
  httpPort: number;
  directory: string;
}

export interface PeerDefinition {
  name: string;
  binary: string;
  /** Writes the peer's config under `ports.directory`; returns the command-line arguments. */
  configure(ports: PeerPorts): string[];
  /** URL of the exposition the suite counts from. */
  metricsUrl(ports: PeerPorts): string;
  /** Line prefix of the samples counted, as in sumExposition. */
  countedPrefix: string;
  /** `counterSum`: samples sum counter increments; `lines`: samples count lines parsed. */
  countedUnit: 'counterSum' | 'lines';
  /** The peer publishes what it received at most this often. */
  publishIntervalMs: number;
  /**
   * The settle marker (see bench/load/settle.ts): a line counted apart from the delivered
   * lines, and the line prefix of the samples that count it. Absent: settled on stability.
   */
  marker?: { line: string; countedPrefix: string };
  /** Why the peer is not run at this shape (measured to fall over there); null to run it. */
  skipReason?(shape: WorkloadShape): string | null;
}

export interface RunningPeer {
  pid: number;
  udpPort: number;
  metricsUrl: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

export function isPeerInstalled(peer: PeerDefinition): boolean {
  try {
    accessSync(peer.binary, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function startPeer(peer: PeerDefinition): Promise<RunningPeer> {
  const directory = mkdtempSync(path.join(os.tmpdir(), `bench-${peer.name}-`));
  const ports: PeerPorts = {
    udpPort: await freeUdpPort(),
    httpPort: await freeTcpPort(),
    directory,
  };
  const args = peer.configure(ports);
  const child = spawn(peer.binary, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: directory });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));

  const metricsUrl = peer.metricsUrl(ports);
  await waitForPeer(child, metricsUrl, () => stderr);
  return {
    pid: child.pid!,
    udpPort: ports.udpPort,
    metricsUrl,
    stop: async () => {
      await stopChild(child);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function waitForPeer(child: ChildProcess, url: string, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`peer exited with ${child.exitCode}: ${stderr()}`);
    const isUp = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (isUp) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`peer not answering ${url} within ${READY_TIMEOUT_MS} ms: ${stderr()}`);
}
