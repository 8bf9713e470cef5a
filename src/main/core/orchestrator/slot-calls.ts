/**
 * The seven slots' calls: what each result is keyed on, how it is computed (cached: resuming streaming state and
 * reading other slots' results from the cache; traditional: from scratch), and its one-line summary.
 */
import type {
  ImpliedVolResult,
  IndicatorSnapshot,
  OptionAnalysis,
  PatternHit,
  PositionSizingResult,
  VarResult,
} from '../../../shared/domain/analysis';
import type { Decision } from '../../../shared/domain/decision';
import type { KnowledgeAnswer, OrderCheck, OrderContext, OrderToCheck } from '../../../shared/domain/knowledge';
import type { Bar } from '../../../shared/domain/market';
import type { SentimentAggregate } from '../../../shared/domain/sentiment';
import { answerQuestion } from '../agents/chatglm/knowledge-answerer';
import { KNOWLEDGE_BASE_VERSION } from '../agents/chatglm/knowledge-base';
import type { KnowledgeRepository } from '../agents/chatglm/knowledge-repository';
import { checkOrder } from '../agents/chatglm/order-check';
import { impliedVolatility } from '../agents/deepseek/implied-vol';
import { analyzeOptionRequest } from '../agents/deepseek/option-request';
import { historicalVar, parametricVar, simpleReturns } from '../agents/deepseek/risk';
import { fixedFractionalSize } from '../agents/deepseek/sizing';
import {
  computeIndicators,
  createStreamState,
  resolveStreamParams,
  type StreamState,
  snapshotState,
  updateStream,
} from '../agents/internlm2';
import { MODEL_VERSION as INTERNLM2_VERSION } from '../agents/internlm2/model-version';
import { decisionAlertText, type Verbosity } from '../agents/minimax/alert-text';
import { detectPatterns } from '../agents/moonshot/patterns';
import { type PolicyView, type Synthesis, type SynthesisInput, synthesize } from '../agents/qwen/synthesis';
import { aggregateSentiment } from '../agents/yi/aggregate';
import type { NewsRepository } from '../agents/yi/news-repository';
import { symbolTag } from '../cache/cache-key';
import type { PrefixStateCache, StreamingModel } from '../cache/prefix-state-cache';
import { LiveFold } from './live-fold';
import type { SeriesView } from './series-views';
import type { EngineMode, SlotCall } from './slot-runner';

/** Bars the pattern scan looks at: enough for a head and shoulders on daily bars, cheap on 1m bars. */
export const PATTERN_WINDOW = 300;
const STREAM_PARAMS = resolveStreamParams();

/** InternLM2 as a streaming model for the prefix cache: the state after each bar. */
export const internlm2Model: StreamingModel<StreamState> = {
  slot: 'internlm2',
  modelVersion: INTERNLM2_VERSION,
  params: STREAM_PARAMS,
  init: () => createStreamState(STREAM_PARAMS),
  step: (state, bar) => {
    updateStream(state, bar);
    return state;
  },
};

/** What an indicator snapshot is keyed on besides the bars (also how other slots look it up). */
export function indicatorsParams(view: SeriesView): unknown {
  return { kind: 'snapshot', stream: STREAM_PARAMS, timeframe: view.timeframe };
}

/**
 * InternLM2's live streams for the decode path: one step per new bar. A stream starts from the longest cached
 * prefix (the prefill worker's states) and stores its state in the prefix cache at every block boundary, so a
 * restart or another view resumes from there.
 */
export function internlm2LiveFold(prefix: PrefixStateCache): LiveFold<StreamState, IndicatorSnapshot> {
  return new LiveFold<StreamState, IndicatorSnapshot>(
    (view) => {
      const prefixBars = view.bars.slice(0, -1);
      const { state } = prefix.run(internlm2Model, prefixBars, { tags: [symbolTag(view.symbol)] });
      return { state, count: prefixBars.length };
    },
    (state, bar, index, view) => {
      const snapshot = updateStream(state, bar);
      const length = index + 1;
      if (length % prefix.blockSize === 0) {
        prefix.seed(internlm2Model, view.bars.slice(0, length), [{ length, state: snapshotState(state) }], {
          tags: [symbolTag(view.symbol)],
        });
      }
      return snapshot;
    },
  );
}

/** The latest indicator snapshot of a view. */
export function indicatorsCall(
  view: SeriesView,
  mode: EngineMode,
  live: LiveFold<StreamState, IndicatorSnapshot>,
): SlotCall<IndicatorSnapshot> {
  return {
    slot: 'internlm2',
    params: indicatorsParams(view),
    fingerprint: view.fingerprint,
    tags: [symbolTag(view.symbol)],
    exposeValue: true,
    compute: () => {
      const bars = view.bars;
      if (mode === 'traditional') {
        const { snapshots } = computeIndicators(bars, STREAM_PARAMS);
        return snapshots[snapshots.length - 1] as IndicatorSnapshot;
      }
      // Resume the live stream (or the longest cached prefix): a new bar costs one step.
      return live.advance(view);
    },
    summarize: (s) => {
      const parts = [`close ${s.close.toFixed(2)}`];
      if (s.rsi !== null) parts.push(`RSI ${s.rsi.toFixed(0)}`);
      const sma50 = s.sma['50'];
      if (sma50 !== null && sma50 !== undefined) parts.push(`${s.close >= sma50 ? 'above' : 'below'} SMA50`);
      if (s.macd?.histogram !== null && s.macd?.histogram !== undefined) {
        parts.push(`MACD hist ${s.macd.histogram >= 0 ? '+' : ''}${s.macd.histogram.toFixed(3)}`);
      }
      if (s.anomalies.length) parts.push(s.anomalies.map((a) => a.kind.replace('_', ' ')).join(', '));
      return parts.join(', ');
    },
  };
}

function patternWindow(view: SeriesView): readonly Bar[] {
  return view.bars.length > PATTERN_WINDOW ? view.bars.slice(-PATTERN_WINDOW) : view.bars;
}

/** Every pattern on the recent window (for the chart and the decision). */
export function patternsCall(view: SeriesView): SlotCall<PatternHit[]> {
  const window = patternWindow(view);
  return {
    slot: 'moonshot',
    params: { kind: 'scan', window: PATTERN_WINDOW, timeframe: view.timeframe },
    fingerprint: view.fingerprint,
    tags: [symbolTag(view.symbol)],
    exposeValue: true,
    compute: () => detectPatterns(window),
    summarize: (hits) => {
      const recent = hits.filter((h) => h.endIndex >= window.length - 5);
      if (recent.length === 0) return `no pattern in the last 5 bars (${hits.length} in the window)`;
      return recent
        .slice(-3)
        .map((h) => `${h.name} ${Math.round(h.confidence * 100)}%`)
        .join(', ');
    },
  };
}

export interface OptionTerms {
  right: 'call' | 'put';
  strike?: number;
  daysToExpiry?: number;
}

/** Black-Scholes price and Greeks, with the inputs it had to take from the data said out loud. */
export function optionCall(view: SeriesView, terms: OptionTerms): SlotCall<OptionAnalysis> {
  const last = view.bars[view.bars.length - 1] as Bar;
  // An options question without a strike means the at-the-money contract; without an expiry, the next month.
  const strike = terms.strike ?? Math.round(last.c);
  const daysToExpiry = terms.daysToExpiry ?? 30;
  return {
    slot: 'deepseek',
    params: { kind: 'option', right: terms.right, strike, daysToExpiry, timeframe: view.timeframe },
    fingerprint: view.fingerprint,
    tags: [symbolTag(view.symbol)],
    exposeValue: true,
    compute: () =>
      analyzeOptionRequest(
        { symbol: view.symbol, right: terms.right, strike, daysToExpiry },
        { bars: view.bars.slice(-120), timeframe: view.timeframe },
      ),
    summarize: (o) =>
      `${o.symbol} ${strike} ${terms.right} ${daysToExpiry}d: $${o.quote.price.toFixed(2)}, delta ${o.quote.greeks.delta.toFixed(2)}`,
  };
}

export function impliedVolCall(view: SeriesView, terms: OptionTerms, optionPrice: number): SlotCall<ImpliedVolResult> {
  const last = view.bars[view.bars.length - 1] as Bar;
  const strike = terms.strike ?? Math.round(last.c);
  const days = terms.daysToExpiry ?? 30;
  return {
    slot: 'deepseek',
    params: { kind: 'iv', right: terms.right, strike, days, optionPrice },
    fingerprint: view.fingerprint,
    tags: [symbolTag(view.symbol)],
    exposeValue: true,
    compute: () =>
      impliedVolatility({
        price: optionPrice,
        right: terms.right,
        spot: last.c,
        strike,
        timeYears: days / 365,
        rate: 0.045,
      }),
    summarize: (r) => `implied volatility ${(r.volatility * 100).toFixed(1)}%`,
  };
}

export function varCall(
  view: SeriesView,
  positionValue: number,
): SlotCall<{ historical: VarResult; parametric: VarResult }> {
  return {
    slot: 'deepseek',
    params: { kind: 'var', positionValue: Math.round(positionValue), confidence: 0.95 },
    fingerprint: view.fingerprint,
    tags: [symbolTag(view.symbol)],
    exposeValue: true,
    compute: () => {
      const returns = simpleReturns(view.bars.slice(-500));
      return {
        historical: historicalVar(returns, { confidence: 0.95, positionValue }),
        parametric: parametricVar({ returns, confidence: 0.95, positionValue }),
      };
    },
    summarize: (r) =>
      `95% 1-bar VaR ${(r.historical.var * 100).toFixed(2)}% historical, ${(r.parametric.var * 100).toFixed(2)}% parametric`,
  };
}

/**
 * Position size for a trade with a stop: the stop the trader gave, else two ATRs read from InternLM2's cached
 * result (a slot reading another slot's work from the cache).
 */
export function sizingCall(
  view: SeriesView,
  equity: number,
  stopPrice: number | undefined,
  atr: number | null,
): SlotCall<PositionSizingResult> {
  const last = view.bars[view.bars.length - 1] as Bar;
  const stop = stopPrice ?? (atr ? last.c - 2 * atr : last.c * 0.95);
  return {
    slot: 'deepseek',
    params: { kind: 'size', equity: Math.round(equity), stop, riskFraction: 0.01 },
    fingerprint: view.fingerprint,
    tags: [symbolTag(view.symbol)],
    exposeValue: true,
    compute: () =>
      fixedFractionalSize({
        equity,
        riskFraction: 0.01,
        entryPrice: last.c,
        stopPrice: stop,
        maxPositionFraction: 0.25,
      }),
    summarize: (s) => `${s.shares} shares risking 1% with a stop at ${stop.toFixed(2)}`,
  };
}

export interface SentimentSource {
  repo: NewsRepository;
  /** Bumped whenever news is imported: the fingerprint of every aggregate. */
  /** A digest of the stored news (changes with every import or re-score; stable across restarts). */
  newsVersion: () => string;
  halfLifeMs: () => number;
}

/** Sentiment is aggregated at 15-minute buckets of market time, so every query in a bucket shares the result. */
export const SENTIMENT_BUCKET_MS = 15 * 60_000;

export function sentimentCall(symbol: string, asOfMs: number, source: SentimentSource): SlotCall<SentimentAggregate> {
  const bucket = Math.floor(asOfMs / SENTIMENT_BUCKET_MS) * SENTIMENT_BUCKET_MS;
  const halfLifeMs = source.halfLifeMs();
  return {
    slot: 'yi',
    params: { kind: 'aggregate', symbol, asOfMs: bucket, halfLifeMs },
    fingerprint: `news-v${source.newsVersion()}`,
    tags: [symbolTag(symbol)],
    exposeValue: true,
    compute: () =>
      aggregateSentiment(symbol, source.repo.scoredItems(symbol, bucket - 10 * halfLifeMs, bucket, 20_000), {
        asOfMs: bucket,
        halfLifeMs,
      }),
    summarize: (a) =>
      a.count === 0
        ? `no news for ${symbol} (import news to score it)`
        : `${a.label} ${a.score >= 0 ? '+' : ''}${a.score.toFixed(2)} over ${a.count} item${a.count === 1 ? '' : 's'}`,
  };
}

export function knowledgeCall(repo: KnowledgeRepository, question: string): SlotCall<KnowledgeAnswer> {
  const normalized = question.trim().toLowerCase().replace(/\s+/g, ' ');
  return {
    slot: 'chatglm',
    params: { kind: 'ask', question: normalized },
    fingerprint: `kb-${KNOWLEDGE_BASE_VERSION}`,
    exposeValue: true,
    compute: () => answerQuestion(repo, question),
    summarize: (a) => (a.found ? `${a.passages[0]?.title ?? 'answer'}` : 'no rule matched'),
  };
}

/** Compliance check of an order against the account: keyed by the order and a digest of the account context. */
export function orderCheckCall(
  order: OrderToCheck,
  context: OrderContext,
  contextDigest: string,
): SlotCall<OrderCheck> {
  return {
    slot: 'chatglm',
    params: { kind: 'check', order },
    fingerprint: contextDigest,
    tags: [symbolTag(order.symbol)],
    exposeValue: true,
    compute: () => checkOrder(order, context),
    summarize: (c) =>
      c.warnings.length === 0
        ? 'no rule stands in the way'
        : c.warnings.map((w) => `${w.severity}: ${w.title}`).join('; '),
  };
}

export interface SynthesisKeys {
  /** The cache keys (or fingerprints) of every input, in a fixed order. */
  inputs: readonly (string | null)[];
  equityBucket: number;
}

export function synthesisCall(input: SynthesisInput, keys: SynthesisKeys): SlotCall<Synthesis> {
  return {
    slot: 'qwen',
    params: { kind: 'decide', symbol: input.symbol, t: input.t, equity: keys.equityBucket },
    fingerprint: keys.inputs.map((k) => k ?? '-').join('|'),
    tags: [symbolTag(input.symbol)],
    compute: () => synthesize(input),
    summarize: (s) => `${s.action} ${Math.round(s.confidence * 100)}%${s.suggestedQty ? `, ${s.suggestedQty} sh` : ''}`,
  };
}

export function alertTextCall(decision: Decision, verbosity: Verbosity): SlotCall<string> {
  return {
    slot: 'minimax',
    params: { kind: 'alert', verbosity },
    fingerprint: `${decision.symbol}|${decision.t}|${decision.action}|${decision.confidence.toFixed(3)}|${decision.suggestedQty}|${decision.fromCache}|${decision.warnings.join(';')}`,
    compute: () => decisionAlertText(decision, verbosity),
    summarize: (text) => text,
  };
}

export type { PolicyView };
