import type { SentimentAggregate, SentimentLabel } from '../../../../shared/domain/sentiment';
import { MODEL_VERSION } from './model-version';
import { DEFAULT_NEUTRAL_BAND, labelFor } from './sentiment-model';

/** Three days: news keeps half its weight after three days of market time. */
export const DEFAULT_HALF_LIFE_MS = 3 * 86_400_000;
/** Items older than this many half-lives weigh under 0.1% and are not read. */
export const LOOKBACK_HALF_LIVES = 10;
/**
 * Weight of the neutral prior in the shrunk score: one fresh neutral item. With a single fresh item scoring s the
 * score is s/2; with ten fresh items it is 10s/11; with one item ten half-lives old it is about s/1000.
 */
export const DEFAULT_PRIOR_WEIGHT = 1;

/** A scored item as the aggregate needs it. */
export interface ScoredNewsItem {
  id: number;
  tMs: number;
  text: string;
  score: number;
  label: SentimentLabel;
}

export interface AggregateOptions {
  /** Market time to aggregate at (the replay or market clock); items after it are ignored. */
  asOfMs: number;
  halfLifeMs?: number;
  priorWeight?: number;
  neutralBand?: number;
  /** How many headlines to return, by |score| x weight (default 5). */
  topN?: number;
}

/**
 * A symbol's sentiment at `asOfMs`: every item published at or before it, weighted by `0.5^(age / halfLife)`.
 * Pure: the result depends only on the items and options, never on the wall clock.
 */
export function aggregateSentiment(
  symbol: string,
  items: readonly ScoredNewsItem[],
  options: AggregateOptions,
): SentimentAggregate {
  const halfLifeMs = Math.round(options.halfLifeMs ?? DEFAULT_HALF_LIFE_MS);
  if (!(halfLifeMs > 0)) throw new RangeError(`halfLifeMs must be positive, got ${options.halfLifeMs}`);
  const priorWeight = options.priorWeight ?? DEFAULT_PRIOR_WEIGHT;
  const band = options.neutralBand ?? DEFAULT_NEUTRAL_BAND;
  const fromMs = options.asOfMs - LOOKBACK_HALF_LIVES * halfLifeMs;

  const counts = { positive: 0, negative: 0, neutral: 0 };
  let weightSum = 0;
  let weightedScore = 0;
  let latestTMs: number | null = null;
  const weighted: Array<{ item: ScoredNewsItem; weight: number }> = [];
  for (const item of items) {
    // Future news would be look-ahead in a replay; news older than the look-back no longer matters.
    if (item.tMs > options.asOfMs || item.tMs < fromMs) continue;
    const weight = 0.5 ** ((options.asOfMs - item.tMs) / halfLifeMs);
    weightSum += weight;
    weightedScore += weight * item.score;
    counts[item.label]++;
    if (latestTMs === null || item.tMs > latestTMs) latestTMs = item.tMs;
    weighted.push({ item, weight });
  }
  const decayedMean = weightSum > 0 ? clamp(weightedScore / weightSum) : 0;
  const score = weightSum > 0 ? clamp(weightedScore / (weightSum + priorWeight)) : 0;
  const top = weighted
    .filter((w) => w.item.score !== 0)
    .sort((a, b) => Math.abs(b.item.score) * b.weight - Math.abs(a.item.score) * a.weight || b.item.tMs - a.item.tMs)
    .slice(0, options.topN ?? 5);
  return {
    symbol,
    asOfMs: options.asOfMs,
    halfLifeMs,
    count: weighted.length,
    effectiveCount: round4(weightSum),
    decayedMean: round4(decayedMean),
    score: round4(score),
    label: labelFor(round4(score), band),
    counts,
    latestTMs,
    topHeadlines: top.map(({ item, weight }) => ({
      id: item.id,
      tMs: item.tMs,
      text: item.text,
      score: item.score,
      label: item.label,
      weight: round4(Math.min(1, weight)),
    })),
    model: { slot: 'Yi', backend: 'built-in lexicon', version: MODEL_VERSION },
  };
}

function clamp(x: number): number {
  return Math.max(-1, Math.min(1, x));
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
