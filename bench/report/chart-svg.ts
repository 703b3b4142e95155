/**
 * A self-contained SVG: one panel per throughput scenario, offered lines/s across, percent
 * up; loss, daemon CPU and sender CPU as points sorted by rate. No script, no fonts to load.
 */
import type { ScenarioResult, TrialPoint } from '../scenarios/scenario.js';

const PANEL_WIDTH = 460;
const PANEL_HEIGHT = 240;
const MARGIN = 44;
const SERIES = [
  { label: 'loss %', color: '#c0392b', value: (t: TrialPoint) => t.lossPercent },
  { label: 'daemon CPU %', color: '#2471a3', value: (t: TrialPoint) => t.daemonCpuPercent },
  { label: 'senders CPU %', color: '#7f8c8d', value: (t: TrialPoint) => t.sendersCpuPercent },
] as const;

export function renderChartSvg(scenarios: ScenarioResult[]): string {
  const panels = scenarios.filter((s) => (s.trials?.length ?? 0) > 0);
  const width = PANEL_WIDTH * Math.max(1, Math.min(2, panels.length));
  const height = PANEL_HEIGHT * Math.max(1, Math.ceil(panels.length / 2));
  const body = panels
    .map((scenario, i) =>
      renderPanel(scenario, (i % 2) * PANEL_WIDTH, Math.floor(i / 2) * PANEL_HEIGHT),
    )
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}

function renderPanel(scenario: ScenarioResult, left: number, top: number): string {
  const trials = [...(scenario.trials ?? [])].sort(
    (a, b) => a.offeredLinesPerSec - b.offeredLinesPerSec,
  );
  const maxRate = Math.max(...trials.map((t) => t.offeredLinesPerSec), 1);
  const maxPercent = Math.max(100, ...trials.flatMap((t) => SERIES.map((s) => s.value(t))));
  const plotWidth = PANEL_WIDTH - 2 * MARGIN;
  const plotHeight = PANEL_HEIGHT - 2 * MARGIN;
  const x = (rate: number): number => left + MARGIN + (rate / maxRate) * plotWidth;
  const y = (percent: number): number =>
    top + MARGIN + plotHeight - (percent / maxPercent) * plotHeight;

  const lines = SERIES.map((series, i) => {
    const points = trials.map(
      (t) => `${x(t.offeredLinesPerSec).toFixed(1)},${y(series.value(t)).toFixed(1)}`,
    );
    const dots = trials
      .map(
        (t) =>
          `<circle cx="${x(t.offeredLinesPerSec).toFixed(1)}" cy="${y(series.value(t)).toFixed(1)}" r="2.5" fill="${series.color}"/>`,
      )
      .join('');
    const legend = `<text x="${left + MARGIN + i * 120}" y="${top + PANEL_HEIGHT - 8}" fill="${series.color}">${series.label}</text>`;
    return `<polyline fill="none" stroke="${series.color}" points="${points.join(' ')}"/>${dots}${legend}`;
  });
  return [
    `<text x="${left + MARGIN}" y="${top + 18}" font-weight="bold">${escapeXml(scenario.name)}</text>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(maxRate)}" y2="${y(0)}" stroke="black"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(maxPercent)}" stroke="black"/>`,
    `<text x="${x(maxRate)}" y="${y(0) + 14}" text-anchor="end">${Math.round(maxRate).toLocaleString('en')} lines/s offered</text>`,
    `<text x="${x(0) - 4}" y="${y(maxPercent) + 4}" text-anchor="end">${Math.round(maxPercent)}%</text>`,
    `<text x="${x(0) - 4}" y="${y(0) + 4}" text-anchor="end">0</text>`,
    ...lines,
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
