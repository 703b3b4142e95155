/**
 * The change against the previous results file: for every scenario in both, every numeric
 * figure, as the old value, the new and the change in percent.
 */
import type { BenchResults } from './result-file.js';

export interface FigureChange {
  scenario: string;
  figure: string;
  previous: number;
  current: number;
  /** (current - previous) / previous in percent; null when previous is 0. */
  changePercent: number | null;
}

const HEADLINE_FIGURES = ['losslessLinesPerSec', 'ceilingRatio', 'peerRatio'] as const;

export function compareResults(previous: BenchResults, current: BenchResults): FigureChange[] {
  const changes: FigureChange[] = [];
  for (const scenario of current.scenarios) {
    const before = previous.scenarios.find((s) => s.name === scenario.name);
    if (before === undefined) continue;
    const figuresNow: Record<string, unknown> = { ...scenario.figures };
    const figuresBefore: Record<string, unknown> = { ...before.figures };
    for (const name of HEADLINE_FIGURES) {
      figuresNow[name] = scenario[name];
      figuresBefore[name] = before[name];
    }
    for (const [figure, value] of Object.entries(figuresNow)) {
      const old = figuresBefore[figure];
      if (typeof value !== 'number' || typeof old !== 'number') continue;
      const changePercent = old === 0 ? null : Math.round(((value - old) / old) * 1000) / 10;
      changes.push({
        scenario: scenario.name,
        figure,
        previous: old,
        current: value,
        changePercent,
      });
    }
  }
  return changes;
}
