/**
 * Accuracy of the Yi slot's built-in sentiment model on two labelled sets (Financial PhraseBank, all-agree subset;
 * Twitter financial news, validation split), against the majority-class baseline.
 *
 * Honesty rules: the lexicon was written without fitting to these sets. The only calibrated number is the
 * neutral band: it is chosen on one half of each set (split by a hash of the text) and reported on the other half.
 *
 *   npx tsx bench/sentiment-bench.ts          prints a table, writes bench/results/sentiment.json
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  calibrateNeutralBand,
  type EvaluationMetrics,
  evaluate,
  type LabelledText,
  labelScores,
  loadPhraseBank,
  loadTweets,
  majorityBaseline,
  splitHalves,
} from '../src/main/core/agents/yi/evaluation';
import { MODEL_VERSION } from '../src/main/core/agents/yi/model-version';
import { DEFAULT_NEUTRAL_BAND, scoreText } from '../src/main/core/agents/yi/sentiment-model';
import { sharedDataDir } from '../src/main/core/paths';

const ROOT = path.resolve(__dirname, '..');
const NEWS_DIR = path.join(sharedDataDir(ROOT), 'news');
const RESULTS_FILE = path.join(ROOT, 'bench', 'results', 'sentiment.json');

const DATASETS = [
  {
    name: 'FinancialPhraseBank AllAgree',
    file: path.join(NEWS_DIR, 'FinancialPhraseBank-v1.0', 'Sentences_AllAgree.txt'),
    load: loadPhraseBank,
  },
  {
    name: 'Twitter financial news (valid)',
    file: path.join(NEWS_DIR, 'twitter-financial-news-sentiment', 'sent_valid.csv'),
    load: loadTweets,
  },
] as const;

type Summary = Pick<EvaluationMetrics, 'n' | 'accuracy' | 'macroF1'> & Partial<EvaluationMetrics>;

export interface DatasetResult {
  name: string;
  file: string;
  n: number;
  /** The shipped model (default band) on the whole set. */
  full: EvaluationMetrics;
  fullBaseline: Summary & { majority: string };
  /** Held-out half: the shipped band, a band calibrated on the other half, and the baseline. */
  heldOut: {
    n: number;
    defaultBand: EvaluationMetrics;
    calibratedBand: number;
    calibrated: EvaluationMetrics;
    baseline: Summary & { majority: string };
  };
  scoringMs: number;
  textsPerSecond: number;
}

export interface SentimentBenchResult {
  bench: 'sentiment';
  modelVersion: string;
  defaultNeutralBand: number;
  datasets: DatasetResult[];
  /** Band calibrated on the calibration halves of both sets together. */
  pooledCalibratedBand: number | null;
  skipped: string[];
}

/** Runs the evaluation and writes `bench/results/sentiment.json`. Missing data sets are skipped and listed. */
export async function benchSentiment(options: { write?: boolean } = {}): Promise<SentimentBenchResult> {
  const datasets: DatasetResult[] = [];
  const skipped: string[] = [];
  const pooledTruths: LabelledText['label'][] = [];
  const pooledScores: number[] = [];
  for (const ds of DATASETS) {
    if (!fs.existsSync(ds.file)) {
      skipped.push(`${ds.name}: ${ds.file} not found`);
      continue;
    }
    const data = ds.load(ds.file);
    const started = performance.now();
    const scores = new Map<string, number>();
    for (const item of data) scores.set(item.text, scoreText(item.text).score);
    const scoringMs = performance.now() - started;
    const scoreOf = (items: LabelledText[]) => items.map((i) => scores.get(i.text) ?? 0);

    const truths = data.map((d) => d.label);
    const full = evaluate(truths, labelScores(scoreOf(data), DEFAULT_NEUTRAL_BAND));
    const { calibration, heldOut } = splitHalves(data);
    const band = calibrateNeutralBand(
      calibration.map((d) => d.label),
      scoreOf(calibration),
    );
    pooledTruths.push(...calibration.map((d) => d.label));
    pooledScores.push(...scoreOf(calibration));
    const heldTruths = heldOut.map((d) => d.label);
    datasets.push({
      name: ds.name,
      file: path.relative(ROOT, ds.file),
      n: data.length,
      full,
      fullBaseline: summary(majorityBaseline(truths)),
      heldOut: {
        n: heldOut.length,
        defaultBand: evaluate(heldTruths, labelScores(scoreOf(heldOut), DEFAULT_NEUTRAL_BAND)),
        calibratedBand: band,
        calibrated: evaluate(heldTruths, labelScores(scoreOf(heldOut), band)),
        baseline: summary(majorityBaseline(heldTruths)),
      },
      scoringMs: Math.round(scoringMs),
      textsPerSecond: Math.round(data.length / (scoringMs / 1000)),
    });
  }
  const result: SentimentBenchResult = {
    bench: 'sentiment',
    modelVersion: MODEL_VERSION,
    defaultNeutralBand: DEFAULT_NEUTRAL_BAND,
    datasets,
    pooledCalibratedBand: pooledTruths.length > 0 ? calibrateNeutralBand(pooledTruths, pooledScores) : null,
    skipped,
  };
  if (options.write !== false) {
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
  }
  return result;
}

function summary<T extends EvaluationMetrics & { majority: string }>(m: T): Summary & { majority: string } {
  return { n: m.n, accuracy: m.accuracy, macroF1: m.macroF1, majority: m.majority };
}

/** The report as a text table. */
export function formatSentimentBench(r: SentimentBenchResult): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines: string[] = [];
  lines.push(`Yi sentiment (${r.modelVersion}), shipped neutral band ${r.defaultNeutralBand}`);
  lines.push('');
  lines.push(
    `${'set'.padEnd(32)}${'split'.padEnd(26)}${'n'.padStart(6)}${'accuracy'.padStart(10)}${'macro-F1'.padStart(10)}`,
  );
  for (const d of r.datasets) {
    const row = (split: string, m: Summary) =>
      lines.push(
        `${d.name.padEnd(32)}${split.padEnd(26)}${String(m.n).padStart(6)}${pct(m.accuracy).padStart(10)}${pct(m.macroF1).padStart(10)}`,
      );
    row('all, shipped band', d.full);
    row(`all, majority (${d.fullBaseline.majority})`, d.fullBaseline);
    row('held-out, shipped band', d.heldOut.defaultBand);
    row(`held-out, band ${d.heldOut.calibratedBand.toFixed(2)}*`, d.heldOut.calibrated);
    row('held-out, majority', d.heldOut.baseline);
  }
  lines.push('');
  lines.push('* band calibrated for macro-F1 on the other half of the same set (split by text hash)');
  if (r.pooledCalibratedBand !== null)
    lines.push(`band calibrated on both calibration halves: ${r.pooledCalibratedBand}`);
  for (const d of r.datasets) {
    lines.push('');
    lines.push(`${d.name}, all, shipped band: per class and confusion (rows truth, columns predicted)`);
    lines.push(
      `${''.padEnd(10)}${'prec'.padStart(8)}${'recall'.padStart(8)}${'F1'.padStart(8)}${'support'.padStart(9)}   ${'pos'.padStart(6)}${'neg'.padStart(6)}${'neu'.padStart(6)}`,
    );
    for (const c of ['positive', 'negative', 'neutral'] as const) {
      const m = d.full.perClass[c];
      const cm = d.full.confusion[c];
      lines.push(
        `${c.padEnd(10)}${pct(m.precision).padStart(8)}${pct(m.recall).padStart(8)}${pct(m.f1).padStart(8)}${String(m.support).padStart(9)}   ${String(cm.positive).padStart(6)}${String(cm.negative).padStart(6)}${String(cm.neutral).padStart(6)}`,
      );
    }
    lines.push(`scored ${d.n} texts in ${d.scoringMs} ms (${d.textsPerSecond} texts/s)`);
  }
  for (const s of r.skipped) lines.push(`skipped: ${s}`);
  return lines.join('\n');
}

if (require.main === module) {
  benchSentiment()
    .then((r) => {
      console.log(formatSentimentBench(r));
      console.log(`\nwrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
