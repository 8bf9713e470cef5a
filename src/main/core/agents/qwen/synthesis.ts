import type {
  IndicatorSnapshot,
  OptionAnalysis,
  PatternHit,
  PositionSizingResult,
} from '../../../../shared/domain/analysis';
import type { Action, Contribution } from '../../../../shared/domain/decision';
import type { OrderWarning } from '../../../../shared/domain/knowledge';
import type { SentimentAggregate } from '../../../../shared/domain/sentiment';

/** A slot's result as synthesis sees it: the value, and whether it came from the pattern cache. */
export interface Sourced<T> {
  value: T;
  fromCache: boolean;
}

/** The DQN policy's view of a symbol: its greedy action and Q-values. */
export interface PolicyView {
  action: 'short' | 'flat' | 'long';
  qValues: readonly number[];
}

export interface SynthesisInput {
  symbol: string;
  /** Market time of the bar the decision is about. */
  t: number;
  price: number | null;
  indicators?: Sourced<IndicatorSnapshot>;
  /** Recent pattern hits (ending in the last few bars). */
  patterns?: Sourced<readonly PatternHit[]>;
  /** Index of the last bar the pattern hits were found on (hits ending long before it count less). */
  lastIndex?: number;
  sentiment?: Sourced<SentimentAggregate>;
  /** DeepSeek's position size for the trade (fixed-fractional risk with a stop). */
  sizing?: Sourced<PositionSizingResult>;
  policy?: Sourced<PolicyView>;
  /** For an options question: the priced contract. */
  option?: Sourced<OptionAnalysis>;
  /** Rule warnings for acting on the decision (ChatGLM). */
  warnings?: Sourced<readonly OrderWarning[]>;
  /** Account equity, E4 units, for the size suggestion. */
  equityE4: number;
  /** Fraction of equity risked per trade when sizing (default 1%). */
  riskFraction?: number;
}

export interface Synthesis {
  action: Action;
  confidence: number;
  score: number;
  suggestedQty: number;
  contributions: Contribution[];
  /** The explanation with the cache status of each slot as of this call. */
  explanation: string;
  /** The explanation with cache-status tokens, for a cached decision to be re-rendered (see renderExplanation). */
  template: string;
  warnings: string[];
}

/** How much each slot's vote counts; patterns and the policy are noisier than trend. */
const WEIGHTS = { internlm2: 1, moonshot: 0.8, yi: 0.6, policy: 0.9 } as const;
/** Below this absolute score the evidence is too weak to act on. */
const ACT_THRESHOLD = 0.15;
/** Below this confidence a BUY or SELL is not worth acting on: it becomes HOLD. */
const MIN_TRADE_CONFIDENCE = 0.35;

const clamp = (x: number, lo = -1, hi = 1) => Math.max(lo, Math.min(hi, x));
const pct = (x: number) => `${Math.round(x * 100)}%`;
/**
 * The explanation names each slot's cache status, which belongs to the call, not to the (cacheable) decision: it is
 * written as a token and filled in by {@link renderExplanation} for the call at hand.
 */
const cached = (slot: string) => `{{cache:${slot}}}`;

/** Fills the cache-status tokens of an explanation: "from the cache" or "computed now" per slot. */
export function renderExplanation(template: string, fromCache: Readonly<Record<string, boolean | undefined>>): string {
  return template.replace(/\{\{cache:([a-z0-9]+)\}\}/g, (_m, slot: string) =>
    fromCache[slot] ? 'from the cache' : 'computed now',
  );
}

/** Trend and momentum from the indicator snapshot, with the reasons a trader would give. */
function indicatorSignal(s: IndicatorSnapshot): { signal: number; reasons: string[] } | null {
  const parts: { value: number; weight: number; reason: string }[] = [];
  const sma50 = s.sma['50'] ?? null;
  const sma200 = s.sma['200'] ?? null;
  if (sma50 !== null && s.close !== sma50) {
    const above = s.close > sma50;
    parts.push({
      value: above ? 0.5 : -0.5,
      weight: 1,
      reason: `price ${above ? 'above' : 'below'} its 50-bar average`,
    });
  }
  if (sma50 !== null && sma200 !== null && sma50 !== sma200) {
    const golden = sma50 > sma200;
    parts.push({
      value: golden ? 0.4 : -0.4,
      weight: 0.8,
      reason: golden ? '50 above 200 (uptrend)' : '50 below 200 (downtrend)',
    });
  }
  const histogram = s.macd?.histogram ?? null;
  if (histogram !== null && s.atr) {
    const h = clamp(histogram / Math.max(1e-9, s.atr));
    parts.push({ value: h, weight: 1, reason: `MACD histogram ${histogram >= 0 ? 'positive' : 'negative'}` });
  }
  if (s.rsi !== null) {
    if (s.rsi >= 70) parts.push({ value: -0.6, weight: 0.7, reason: `RSI ${s.rsi.toFixed(0)} overbought` });
    else if (s.rsi <= 30) parts.push({ value: 0.6, weight: 0.7, reason: `RSI ${s.rsi.toFixed(0)} oversold` });
    else parts.push({ value: (s.rsi - 50) / 100, weight: 0.3, reason: `RSI ${s.rsi.toFixed(0)}` });
  }
  if (parts.length === 0) return null;
  const weight = parts.reduce((a, p) => a + p.weight, 0);
  const signal = clamp(parts.reduce((a, p) => a + p.value * p.weight, 0) / weight);
  return { signal, reasons: parts.map((p) => p.reason) };
}

function patternSignal(
  hits: readonly PatternHit[],
  lastIndex: number | undefined,
): { signal: number; reason: string } | null {
  let sum = 0;
  let weight = 0;
  let best: PatternHit | null = null;
  for (const hit of hits) {
    const age = lastIndex === undefined ? 0 : Math.max(0, lastIndex - hit.endIndex);
    if (age > 10) continue;
    const w = hit.confidence * (hit.category === 'chart' ? 1 : 0.5) * (hit.confirmed ? 1.2 : 1) * (1 - age / 12);
    const dir = hit.direction === 'bullish' ? 1 : hit.direction === 'bearish' ? -1 : 0;
    sum += dir * w;
    weight += w;
    if (!best || w > (best.confidence ?? 0)) best = hit;
  }
  if (!best || weight === 0) return null;
  return {
    signal: clamp(sum / Math.max(1, weight)),
    reason: `${best.name.toLowerCase()} (${pct(best.confidence)}${best.confirmed ? ', confirmed' : ''})`,
  };
}

/**
 * Qwen's synthesis: each contributing slot votes in [-1, 1] with a weight; the weighted mean decides BUY (above
 * +0.15), SELL (below -0.15) or HOLD, and agreement between the votes sets the confidence. The explanation names
 * every slot that contributed and whether its answer came from the cache. Pure: same inputs, same decision.
 */
export function synthesize(input: SynthesisInput): Synthesis {
  const contributions: Contribution[] = [];
  const sentences: string[] = [];

  if (input.indicators) {
    const s = indicatorSignal(input.indicators.value);
    if (s) {
      contributions.push({
        slot: 'internlm2',
        signal: s.signal,
        weight: WEIGHTS.internlm2,
        fromCache: input.indicators.fromCache,
        reason: s.reasons.join(', '),
      });
      sentences.push(`InternLM2 (${cached('internlm2')}): ${s.reasons.join(', ')}.`);
    }
  }
  if (input.patterns) {
    const s = patternSignal(input.patterns.value, input.lastIndex);
    if (s) {
      contributions.push({
        slot: 'moonshot',
        signal: s.signal,
        weight: WEIGHTS.moonshot,
        fromCache: input.patterns.fromCache,
        reason: s.reason,
      });
      sentences.push(`Moonshot (${cached('moonshot')}): ${s.reason}.`);
    } else {
      sentences.push(`Moonshot (${cached('moonshot')}): no recent pattern.`);
    }
  }
  if (input.sentiment && input.sentiment.value.count > 0) {
    const s = input.sentiment.value;
    const reason = `sentiment ${s.label} (${s.score >= 0 ? '+' : ''}${s.score.toFixed(2)} over ${s.count} item${s.count === 1 ? '' : 's'})`;
    contributions.push({
      slot: 'yi',
      signal: clamp(s.score * 2),
      weight: WEIGHTS.yi * Math.min(1, s.effectiveCount / 3),
      fromCache: input.sentiment.fromCache,
      reason,
    });
    sentences.push(`Yi (${cached('yi')}): ${reason}.`);
  } else if (input.sentiment) {
    sentences.push(`Yi (${cached('yi')}): no news for ${input.symbol}.`);
  }
  if (input.policy) {
    const p = input.policy.value;
    const sorted = [...p.qValues].sort((a, b) => b - a);
    const margin = sorted.length > 1 ? (sorted[0] as number) - (sorted[1] as number) : 0;
    const dir = p.action === 'long' ? 1 : p.action === 'short' ? -1 : 0;
    const reason = `policy says ${p.action} (Q margin ${margin.toFixed(3)})`;
    contributions.push({
      slot: 'policy',
      signal: clamp(dir * (0.4 + Math.min(0.6, margin * 20))),
      weight: WEIGHTS.policy,
      fromCache: input.policy.fromCache,
      reason,
    });
    sentences.push(`DQN policy (${cached('policy')}): ${p.action}.`);
  }

  const totalWeight = contributions.reduce((a, c) => a + c.weight, 0);
  const score = totalWeight > 0 ? contributions.reduce((a, c) => a + c.signal * c.weight, 0) / totalWeight : 0;
  const sign = Math.sign(score);
  const agreeing = contributions
    .filter((c) => Math.sign(c.signal) === sign && sign !== 0)
    .reduce((a, c) => a + c.weight, 0);
  const agreement = totalWeight > 0 ? agreeing / totalWeight : 0;
  const tradeConfidence = totalWeight > 0 ? clamp(Math.abs(score) * 1.25 * (0.5 + 0.5 * agreement), 0, 0.95) : 0;
  let action: Action = score > ACT_THRESHOLD ? 'BUY' : score < -ACT_THRESHOLD ? 'SELL' : 'HOLD';
  let confidence: number;
  // Never certain: a vote of heuristics and a small policy network earns at most 95%. A trade needs conviction,
  // not just a sign: a weak or split vote is a HOLD, held with more confidence the closer the vote is to zero.
  if (action !== 'HOLD' && tradeConfidence >= MIN_TRADE_CONFIDENCE) {
    confidence = tradeConfidence;
  } else {
    action = 'HOLD';
    confidence = totalWeight > 0 ? clamp(0.6 * (1 - Math.abs(score) / (2 * ACT_THRESHOLD)), 0.1, 0.6) : 0;
  }

  const warnings = (input.warnings?.value ?? []).filter((w) => w.severity !== 'info');
  if (input.warnings) {
    if (warnings.length > 0) {
      sentences.push(`ChatGLM (${cached('chatglm')}): ${warnings.map((w) => w.title).join('; ')}.`);
      if (warnings.some((w) => w.severity === 'block') && action !== 'HOLD') {
        sentences.push(`Acting would break a rule, so the decision is HOLD.`);
        action = 'HOLD';
        confidence = Math.min(confidence, 0.5);
      } else {
        confidence *= 0.8;
      }
    } else {
      sentences.push(`ChatGLM (${cached('chatglm')}): no rule stands in the way.`);
    }
  }

  if (input.option) {
    const o = input.option.value;
    const assumed = o.assumptions.filter((a) => a.source !== 'user').map((a) => a.input);
    sentences.push(
      `DeepSeek (${cached('deepseek')}): the ${o.symbol} ${o.quote.inputs.strike} ${o.quote.inputs.right} over ${Math.round(o.daysToExpiry)} days is worth about $${o.quote.price.toFixed(2)} (delta ${o.quote.greeks.delta.toFixed(2)})${assumed.length ? `, assuming ${assumed.join(', ')} from the data or defaults` : ''}.`,
    );
  }

  let suggestedQty = 0;
  const atr = input.indicators?.value.atr ?? null;
  let sizeNote = '';
  if (action !== 'HOLD' && input.sizing) {
    suggestedQty = input.sizing.value.shares;
    sizeNote = `, about ${suggestedQty} shares (DeepSeek, ${cached('deepseek')}: 1% account risk${input.sizing.value.capped ? ', capped at 25% of equity' : ''})`;
  } else if (action !== 'HOLD' && input.price && input.equityE4 > 0) {
    // Without DeepSeek's sizing: risk a fixed fraction of equity with a stop two ATRs away.
    const risk = (input.riskFraction ?? 0.01) * (input.equityE4 / 10_000);
    const stopDistance = atr && atr > 0 ? 2 * atr : input.price * 0.05;
    const byRisk = Math.floor(risk / stopDistance);
    const byCash = Math.floor((0.25 * input.equityE4) / 10_000 / input.price);
    suggestedQty = Math.max(0, Math.min(byRisk, byCash));
    sizeNote =
      suggestedQty > 0 ? `, about ${suggestedQty} shares (1% account risk, stop ${atr ? 'two ATRs' : '5%'} away)` : '';
  }

  const head =
    action === 'HOLD'
      ? `HOLD ${input.symbol}${contributions.length ? ` (signals ${agreement < 0.7 && contributions.length > 1 ? 'disagree' : 'are weak'}, net ${score >= 0 ? '+' : ''}${score.toFixed(2)})` : ' (no signals yet)'}.`
      : `${action} ${input.symbol} with ${pct(confidence)} confidence${sizeNote}.`;
  const template = [head, ...sentences].join(' ');
  return {
    action,
    confidence,
    score,
    suggestedQty,
    contributions,
    template,
    explanation: renderExplanation(template, {
      internlm2: input.indicators?.fromCache,
      moonshot: input.patterns?.fromCache,
      yi: input.sentiment?.fromCache,
      policy: input.policy?.fromCache,
      chatglm: input.warnings?.fromCache,
      deepseek: input.option?.fromCache ?? input.sizing?.fromCache,
    }),
    warnings: warnings.map((w) => `${w.title}: ${w.message}`),
  };
}
