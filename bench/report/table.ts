/** The table printed at the end of a run, and the lines describing change since last run. */
import type { ScenarioResult } from '../scenarios/scenario.js';
import type { FigureChange } from './compare.js';

export function renderTable(scenarios: ScenarioResult[]): string {
  const rows = scenarios.map((s) => [
    s.name,
    s.losslessLinesPerSec === null ? '-' : Math.round(s.losslessLinesPerSec).toLocaleString('en'),
    s.ceilingRatio === null ? '-' : s.ceilingRatio.toFixed(2),
    s.peerRatio === undefined ? '-' : s.peerRatio.toFixed(2),
    Object.entries(s.figures)
      .filter(([, value]) => value !== null)
      .map(([name, value]) => `${name}=${typeof value === 'number' ? round(value) : value}`)
      .join(' '),
  ]);
  const header = ['scenario', 'lossless lines/s', 'ceiling ratio', 'peer ratio', 'figures'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (i === 4 ? 0 : r[i].length))),
  );
  const format = (row: string[]): string =>
    row.map((cell, i) => (i === 4 ? cell : cell.padEnd(widths[i]))).join('  ');
  const skips = scenarios.flatMap((s) =>
    Object.entries(s.skippedPeers ?? {}).map(([peer, reason]) => `  ${s.name}: ${peer} ${reason}`),
  );
  return [
    format(header),
    ...rows.map(format),
    ...(skips.length > 0 ? ['peers not measured:', ...skips] : []),
  ].join('\n');
}

/** Per scenario and thread: idle and GC share, then the top functions by self time. */
export function renderProfiles(scenarios: ScenarioResult[]): string {
  const lines: string[] = ["cpu profiles (self time, % of the thread's profiled time):"];
  for (const scenario of scenarios) {
    for (const profile of scenario.profiles ?? []) {
      lines.push(
        `${scenario.name} / ${profile.thread} (${profile.file}, ${profile.profiledMs} ms): ` +
          `idle ${profile.idlePercent}%, gc ${profile.gcPercent}%`,
      );
      for (const entry of profile.top) {
        lines.push(`  ${entry.selfPercent.toFixed(1).padStart(5)}%  ${entry.function}`);
      }
    }
  }
  return lines.join('\n');
}

export function renderChanges(changes: FigureChange[], previousFile: string): string {
  if (changes.length === 0) return `no figure in common with ${previousFile}`;
  const lines = changes.map((c) => {
    const change =
      c.changePercent === null ? 'n/a' : `${c.changePercent > 0 ? '+' : ''}${c.changePercent}%`;
    return `  ${c.scenario} ${c.figure}: ${round(c.previous)} -> ${round(c.current)} (${change})`;
  });
  return [`change against ${previousFile}:`, ...lines].join('\n');
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}
