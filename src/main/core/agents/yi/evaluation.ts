/**
 * Accuracy of the Yi sentiment model on labelled sets: Financial PhraseBank (`sentence@label`) and the Twitter
 * financial news set (`text,label` with 0 bearish, 1 bullish, 2 neutral). Used by the benchmark and its test.
 */
import fs from 'node:fs';
import { type SentimentLabel, sentimentLabels } from '../../../../shared/domain/sentiment';
import { parseCsvRecords } from './csv-records';

export interface LabelledText {
  text: string;
  label: SentimentLabel;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvaluationMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  perClass: Record<SentimentLabel, ClassMetrics>;
  /** confusion[truth][predicted] */
  confusion: Record<SentimentLabel, Record<SentimentLabel, number>>;
}

/** Financial PhraseBank: one `sentence@label` per line, split on the last "@" (sentences may contain "@"). */
export function loadPhraseBank(file: string): LabelledText[] {
  const out: LabelledText[] = [];
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, idx) => {
    if (line.trim() === '') return;
    const at = line.lastIndexOf('@');
    const label = at >= 0 ? line.slice(at + 1).trim() : '';
    if (!isLabel(label)) throw new Error(`${file}:${idx + 1}: no valid "@label" at the end of the line`);
    out.push({ text: line.slice(0, at), label });
  });
  return out;
}

const TWEET_LABELS: Record<string, SentimentLabel> = { '0': 'negative', '1': 'positive', '2': 'neutral' };

/** Twitter financial news: CSV `text,label`, labels 0 bearish, 1 bullish, 2 neutral; quoted texts hold newlines. */
export function loadTweets(file: string): LabelledText[] {
  const records = parseCsvRecords(fs.readFileSync(file, 'utf8'));
  const [header, ...rows] = records;
  if (header?.fields[0] !== 'text' || header.fields[1] !== 'label') {
    throw new Error(`${file}: expected the header "text,label"`);
  }
  return rows.map((r) => {
    const label = TWEET_LABELS[(r.fields[1] ?? '').trim()];
    if (r.fields.length !== 2 || !label)
      throw new Error(`${file}:${r.line}: expected "text,label" with label 0, 1 or 2`);
    return { text: r.fields[0] as string, label };
  });
}

function isLabel(s: string): s is SentimentLabel {
  return (sentimentLabels as readonly string[]).includes(s);
}

/** Accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix of predictions against truths. */
export function evaluate(truths: readonly SentimentLabel[], predictions: readonly SentimentLabel[]): EvaluationMetrics {
  if (truths.length !== predictions.length) throw new Error('evaluate: truths and predictions differ in length');
  const confusion = Object.fromEntries(
    sentimentLabels.map((t) => [t, Object.fromEntries(sentimentLabels.map((p) => [p, 0]))]),
  ) as EvaluationMetrics['confusion'];
  let correct = 0;
  truths.forEach((t, i) => {
    const p = predictions[i] as SentimentLabel;
    confusion[t][p]++;
    if (t === p) correct++;
  });
  const perClass = {} as Record<SentimentLabel, ClassMetrics>;
  for (const c of sentimentLabels) {
    const tp = confusion[c][c];
    const predicted = sentimentLabels.reduce((s, t) => s + confusion[t][c], 0);
    const support = sentimentLabels.reduce((s, p) => s + confusion[c][p], 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[c] = { precision, recall, f1, support };
  }
  const macroF1 = sentimentLabels.reduce((s, c) => s + perClass[c].f1, 0) / sentimentLabels.length;
  return { n: truths.length, accuracy: truths.length > 0 ? correct / truths.length : 0, macroF1, perClass, confusion };
}

/** The baseline every model must beat: always answer the most frequent class. */
export function majorityBaseline(truths: readonly SentimentLabel[]): EvaluationMetrics & { majority: SentimentLabel } {
  const counts = new Map<SentimentLabel, number>();
  for (const t of truths) counts.set(t, (counts.get(t) ?? 0) + 1);
  const majority = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'neutral';
  return {
    ...evaluate(
      truths,
      truths.map(() => majority),
    ),
    majority,
  };
}

/**
 * Splits a set into two halves by a hash of each text (FNV-1a parity), independent of file order: the first half
 * may be used to calibrate, the second only to report.
 */
export function splitHalves<T extends { text: string }>(items: readonly T[]): { calibration: T[]; heldOut: T[] } {
  const calibration: T[] = [];
  const heldOut: T[] = [];
  for (const item of items) (fnv1a(item.text) % 2 === 0 ? calibration : heldOut).push(item);
  return { calibration, heldOut };
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Labels scores with a neutral band. */
export function labelScores(scores: readonly number[], band: number): SentimentLabel[] {
  return scores.map((s) => (s > band ? 'positive' : s < -band ? 'negative' : 'neutral'));
}

/**
 * The neutral band (0 to 0.6 in steps of 0.01) with the best macro-F1 on the given scores. Only the band is
 * calibrated; the lexicon's weights are never fitted.
 */
export function calibrateNeutralBand(truths: readonly SentimentLabel[], scores: readonly number[]): number {
  let best = 0;
  let bestF1 = -1;
  for (let k = 0; k <= 60; k++) {
    const band = k / 100;
    const f1 = evaluate(truths, labelScores(scores, band)).macroF1;
    if (f1 > bestF1 + 1e-12) {
      best = band;
      bestF1 = f1;
    }
  }
  return best;
}
