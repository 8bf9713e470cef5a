import fs from 'node:fs';
import path from 'node:path';
import type { EvaluationRow, PolicyCostModel } from '../../../shared/domain/policy';
import type { BarSeries } from './bar-series';
import { equityCurvesSvg } from './equity-svg';
import { type EvaluatedSeries, evaluateSeries, evaluationMarkdown, evaluationRows, type QSource } from './evaluation';

/** A named group of series evaluated together and drawn in one plot ("synthetic market", "real daily files"). */
export interface EvaluationGroup {
  name: string;
  /** File name stem of its plot. */
  slug: string;
  series: { dataset: string; series: BarSeries }[];
}

export interface EvaluationRun {
  results: { group: string; series: EvaluatedSeries[] }[];
  rows: EvaluationRow[];
  markdown: string;
  /** SVG files written. */
  plots: string[];
  notes: string[];
}

/**
 * Evaluates the policy on every group, writes one SVG of equity curves per group into `outDir`, and returns the
 * table (rows and Markdown). Series too short for a test period are skipped with a note, never silently.
 */
export async function runEvaluation(
  policy: QSource,
  groups: readonly EvaluationGroup[],
  options: { costModel: PolicyCostModel; startingCashE4: number; outDir: string; modelVersion: string },
): Promise<EvaluationRun> {
  const results: EvaluationRun['results'] = [];
  const notes: string[] = [];
  const plots: string[] = [];
  const markdown: string[] = [];
  fs.mkdirSync(options.outDir, { recursive: true });
  for (const group of groups) {
    const evaluated: EvaluatedSeries[] = [];
    for (const { dataset, series } of group.series) {
      try {
        evaluated.push(
          await evaluateSeries(dataset, series, policy, {
            costModel: options.costModel,
            startingCashE4: options.startingCashE4,
          }),
        );
      } catch (e) {
        notes.push(`${dataset}: skipped (${(e as Error).message})`);
      }
    }
    if (evaluated.length === 0) continue;
    results.push({ group: group.name, series: evaluated });
    const file = path.join(options.outDir, `equity-${group.slug}.svg`);
    fs.writeFileSync(file, equityCurvesSvg(evaluated, `${group.name}: held-out test period, ${options.modelVersion}`));
    plots.push(file);
    markdown.push(`**${group.name}**\n\n${evaluationMarkdown(evaluated)}`);
  }
  return {
    results,
    rows: results.flatMap((r) => evaluationRows(r.series)),
    markdown: markdown.join('\n\n'),
    plots,
    notes,
  };
}
