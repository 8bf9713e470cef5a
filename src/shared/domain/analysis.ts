/**
 * Results of the built-in analysis models as they cross the API: InternLM2 (streaming indicators and anomaly
 * flags), Moonshot (candlestick and chart patterns) and DeepSeek (option pricing, implied volatility, VaR, position
 * sizing). Every number is a finite float; "not defined yet" (indicator warm-up, a band of zero width) is `null`,
 * never NaN, so that every value survives JSON and the cache byte for byte.
 */
import { z } from 'zod';
import { type Timeframe, timeframeSchema } from './market';

// zod 4 numbers already refuse NaN and ±Infinity.
const finite = z.number();
const positiveInt = z.number().int().positive();

/**
 * Bars per year used to annualise volatility. Intraday figures assume a US equity regular session (6.5 hours,
 * 252 sessions a year); a 24/7 market (crypto) must pass its own `periodsPerYear` (for 1m bars: 525 600).
 */
export const defaultPeriodsPerYear: Record<Timeframe, number> = {
  '1m': 252 * 390,
  '5m': 252 * 78,
  '15m': 252 * 26,
  '1h': 252 * 6.5,
  '1d': 252,
};

// ---------------------------------------------------------------------------------------------------------------
// InternLM2: streaming indicators
// ---------------------------------------------------------------------------------------------------------------

/**
 * Parameters of the InternLM2 stream. They are part of the cache key: two streams with different parameters never
 * share state. Omitted fields take the defaults shown.
 */
export const streamParamsSchema = z
  .object({
    /** Timeframe of the bars; sets the default annualisation of realised volatility. */
    timeframe: timeframeSchema.default('1d'),
    smaPeriods: z.array(positiveInt.max(1000)).min(1).max(8).default([20, 50, 200]),
    emaPeriods: z.array(positiveInt.max(1000)).min(1).max(8).default([9, 21, 50]),
    rsiPeriod: positiveInt.max(1000).default(14),
    macdFast: positiveInt.max(1000).default(12),
    macdSlow: positiveInt.max(1000).default(26),
    macdSignal: positiveInt.max(1000).default(9),
    atrPeriod: positiveInt.max(1000).default(14),
    bbPeriod: z.number().int().min(2).max(1000).default(20),
    bbStdDev: finite.positive().max(10).default(2),
    /** Window of the rolling (not session-anchored) VWAP, in bars. */
    vwapPeriod: positiveInt.max(1000).default(20),
    /**
     * The session VWAP resets when `floor((t + sessionOffsetMs) / 1 day)` changes. 0 resets at 00:00 UTC, which
     * keeps a US equity session (13:30–20:00 UTC) and a crypto UTC day whole.
     */
    sessionOffsetMs: z.number().int().min(-86_400_000).max(86_400_000).default(0),
    /** Window of realised volatility (log returns, sample standard deviation, annualised). */
    rvPeriod: z.number().int().min(2).max(1000).default(20),
    rvShortPeriod: z.number().int().min(2).max(1000).default(10),
    rvLongPeriod: z.number().int().min(2).max(1000).default(60),
    /** Overrides {@link defaultPeriodsPerYear} for the timeframe (for example 525600 for 24/7 1m bars). */
    periodsPerYear: finite.positive().nullable().default(null),
    /** Volume spike: z-score of the bar's volume against the previous `volumePeriod` bars. */
    volumePeriod: z.number().int().min(2).max(1000).default(20),
    volumeZThreshold: finite.positive().default(3),
    /** A spike must also be at least this multiple of the average volume (guards against a near-zero spread). */
    volumeMinRatio: finite.positive().default(1.5),
    /** A gap smaller than this fraction of the previous close is never flagged (tick noise on intraday bars). */
    gapMinPct: finite.nonnegative().default(0.005),
    /** A gap of at least this fraction of the previous close is flagged... */
    gapPct: finite.positive().default(0.02),
    /** ...and so is one of at least this many ATRs (the ATR before the gap). */
    gapAtrMultiple: finite.positive().default(1),
    /** Volatility burst: short realised volatility at least this multiple of the long one. */
    burstRatio: finite.positive().default(2),
  })
  .refine((p) => p.macdFast < p.macdSlow, { message: 'macdFast must be shorter than macdSlow', path: ['macdFast'] })
  .refine((p) => p.rvShortPeriod < p.rvLongPeriod, {
    message: 'rvShortPeriod must be shorter than rvLongPeriod',
    path: ['rvShortPeriod'],
  });
export type StreamParams = z.infer<typeof streamParamsSchema>;
export type StreamParamsInput = z.input<typeof streamParamsSchema>;

export const anomalyKinds = ['volume_spike', 'gap_up', 'gap_down', 'volatility_burst'] as const;
export const anomalyKindSchema = z.enum(anomalyKinds);
export type AnomalyKind = z.infer<typeof anomalyKindSchema>;

/** One unusual event on a bar, with the measured value and the threshold it crossed. */
export const anomalyFlagSchema = z.object({
  kind: anomalyKindSchema,
  /** volume_spike: z-score; gap_up/gap_down: gap as a fraction of the previous close; volatility_burst: ratio. */
  value: finite,
  threshold: finite,
  /** One line a trader can read: "Volume 4.1σ above its 20-bar average (3.2× average)". */
  message: z.string(),
});
export type AnomalyFlag = z.infer<typeof anomalyFlagSchema>;

export const macdValueSchema = z.object({
  macd: finite,
  /** Null until `macdSignal` MACD values exist. */
  signal: finite.nullable(),
  histogram: finite.nullable(),
});
export type MacdValue = z.infer<typeof macdValueSchema>;

export const bollingerValueSchema = z.object({
  upper: finite,
  middle: finite,
  lower: finite,
  /** (upper − lower) / middle. */
  bandwidth: finite,
  /** (close − lower) / (upper − lower); null when the bands have zero width. */
  percentB: finite.nullable(),
});
export type BollingerValue = z.infer<typeof bollingerValueSchema>;

/**
 * Every indicator after one bar. A value is `null` until enough bars have been seen to define it (warm-up).
 * Moving averages are keyed by their period: `sma['200']`.
 */
export const indicatorSnapshotSchema = z.object({
  t: z.number().int(),
  /** Zero-based index of the bar in the stream. */
  index: z.number().int().nonnegative(),
  close: finite,
  sma: z.record(z.string(), finite.nullable()),
  ema: z.record(z.string(), finite.nullable()),
  rsi: finite.nullable(),
  macd: macdValueSchema.nullable(),
  atr: finite.nullable(),
  bollinger: bollingerValueSchema.nullable(),
  /** Session VWAP (typical price × volume), reset at each session start; null while the session has no volume. */
  vwap: finite.nullable(),
  /** VWAP over the last `vwapPeriod` bars. */
  rollingVwap: finite.nullable(),
  /** Annualised realised volatility over `rvPeriod`, `rvShortPeriod` and `rvLongPeriod` bars (0.25 = 25%). */
  realizedVol: finite.nullable(),
  realizedVolShort: finite.nullable(),
  realizedVolLong: finite.nullable(),
  /** Mean volume of the `volumePeriod` bars before this one, and this bar's z-score against them. */
  volumeAvg: finite.nullable(),
  volumeZ: finite.nullable(),
  /** (open − previous close) / previous close; null on the first bar. */
  gapPct: finite.nullable(),
  anomalies: z.array(anomalyFlagSchema),
});
export type IndicatorSnapshot = z.infer<typeof indicatorSnapshotSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Moonshot: patterns
// ---------------------------------------------------------------------------------------------------------------

export const candlestickPatternKinds = [
  'doji',
  'hammer',
  'inverted_hammer',
  'shooting_star',
  'hanging_man',
  'bullish_engulfing',
  'bearish_engulfing',
  'piercing_line',
  'dark_cloud_cover',
  'morning_star',
  'evening_star',
  'three_white_soldiers',
  'three_black_crows',
  'bullish_harami',
  'bearish_harami',
] as const;

export const chartPatternKinds = [
  'bull_flag',
  'bear_flag',
  'double_top',
  'double_bottom',
  'head_and_shoulders',
  'inverse_head_and_shoulders',
  'breakout_up',
  'breakout_down',
] as const;

export const patternKinds = [...candlestickPatternKinds, ...chartPatternKinds] as const;
export const patternKindSchema = z.enum(patternKinds);
export type PatternKind = z.infer<typeof patternKindSchema>;
export type CandlestickPatternKind = (typeof candlestickPatternKinds)[number];
export type ChartPatternKind = (typeof chartPatternKinds)[number];

export const patternDirectionSchema = z.enum(['bullish', 'bearish', 'neutral']);
export type PatternDirection = z.infer<typeof patternDirectionSchema>;

/** A line the chart draws for a pattern: a neckline, a flag channel edge, a range boundary, a flagpole. */
export const patternLineSchema = z.object({
  label: z.string(),
  startIndex: z.number().int().nonnegative(),
  endIndex: z.number().int().nonnegative(),
  startPrice: finite,
  endPrice: finite,
});
export type PatternLine = z.infer<typeof patternLineSchema>;

/** A point the chart marks: a shoulder, the head, each peak of a double top. */
export const patternPointSchema = z.object({
  label: z.string(),
  index: z.number().int().nonnegative(),
  price: finite,
});
export type PatternPoint = z.infer<typeof patternPointSchema>;

export const patternDetailSchema = z.object({
  lines: z.array(patternLineSchema),
  points: z.array(patternPointSchema),
  /** The price whose break confirms the pattern (neckline at the last bar, flag top, range edge). */
  breakoutLevel: finite.nullable(),
  /** Measured-move target (pattern height projected from the breakout level). */
  target: finite.nullable(),
  /** Where the pattern is invalidated (a natural stop). */
  invalidation: finite.nullable(),
  /** Geometry behind the confidence: heights in ATRs, symmetry, retracement, volume ratios. */
  metrics: z.record(z.string(), finite),
});
export type PatternDetail = z.infer<typeof patternDetailSchema>;

/** One detected pattern. Indices are into the bar array that was analysed; times are the bars' open times. */
export const patternHitSchema = z.object({
  kind: patternKindSchema,
  /** Display name: "Bull flag", "Morning star". */
  name: z.string(),
  category: z.enum(['candlestick', 'chart']),
  direction: patternDirectionSchema,
  startIndex: z.number().int().nonnegative(),
  endIndex: z.number().int().nonnegative(),
  startT: z.number().int(),
  endT: z.number().int(),
  confidence: z.number().min(0).max(1),
  /** Chart patterns: whether price has broken the confirming level. Candlesticks are complete by definition. */
  confirmed: z.boolean(),
  detail: patternDetailSchema,
});
export type PatternHit = z.infer<typeof patternHitSchema>;

/** The answer to "is this a bull flag?" on the most recent bars. */
export const patternAnswerSchema = z.object({
  kind: patternKindSchema,
  found: z.boolean(),
  /** Confidence of the hit when found; 0 when not. */
  confidence: z.number().min(0).max(1),
  hit: patternHitSchema.nullable(),
  /** One line: why yes, or why not. */
  reason: z.string(),
});
export type PatternAnswer = z.infer<typeof patternAnswerSchema>;

// ---------------------------------------------------------------------------------------------------------------
// DeepSeek: options, risk, sizing
// ---------------------------------------------------------------------------------------------------------------

/** Where an input to a calculation came from, so that the answer can say what it assumed. */
export const assumptionSchema = z.object({
  input: z.string(),
  value: finite,
  source: z.enum(['user', 'data', 'default']),
  note: z.string(),
});
export type Assumption = z.infer<typeof assumptionSchema>;

export const optionRightSchema = z.enum(['call', 'put']);
export type OptionRight = z.infer<typeof optionRightSchema>;

/**
 * Black-Scholes-Merton sensitivities in trader units: delta and gamma per 1 unit of spot, vega per 1 volatility
 * point (σ + 0.01), theta per calendar day, rho per 1% of rate.
 */
export const greeksSchema = z.object({
  delta: finite,
  gamma: finite,
  vega: finite,
  theta: finite,
  rho: finite,
});
export type Greeks = z.infer<typeof greeksSchema>;

/** Inputs of one Black-Scholes-Merton valuation; rates and yields continuously compounded, annual. */
export const optionInputsSchema = z.object({
  right: optionRightSchema,
  spot: finite.positive(),
  strike: finite.positive(),
  /** Time to expiry in years. */
  timeYears: finite.positive(),
  volatility: finite.positive(),
  rate: finite,
  dividendYield: finite.default(0),
});
export type OptionInputs = z.infer<typeof optionInputsSchema>;
export type OptionInputsInput = z.input<typeof optionInputsSchema>;

export const optionQuoteSchema = z.object({
  inputs: optionInputsSchema,
  price: finite,
  greeks: greeksSchema,
  intrinsic: finite,
  timeValue: finite,
  /** N(d2) for a call, N(−d2) for a put: the risk-neutral probability of finishing in the money. */
  probabilityItm: z.number().min(0).max(1),
});
export type OptionQuote = z.infer<typeof optionQuoteSchema>;

export const impliedVolResultSchema = z.object({
  volatility: finite.positive(),
  iterations: z.number().int().nonnegative(),
  /** Newton converged on its own, or bisection steps were needed. */
  method: z.enum(['newton', 'newton+bisection']),
  /** Model price at the solution minus the target price. */
  priceError: finite,
});
export type ImpliedVolResult = z.infer<typeof impliedVolResultSchema>;

/** Value at risk and expected shortfall, as positive fractions of the position (0.031 = 3.1% loss). */
export const varResultSchema = z.object({
  method: z.enum(['historical', 'parametric']),
  confidence: z.number().gt(0).lt(1),
  horizonDays: finite.positive(),
  var: finite,
  cvar: finite,
  /** The same in currency when a position value was given. */
  varAmount: finite.nullable(),
  cvarAmount: finite.nullable(),
  observations: z.number().int().nonnegative(),
  assumptions: z.array(assumptionSchema),
});
export type VarResult = z.infer<typeof varResultSchema>;

export const positionSizingResultSchema = z.object({
  method: z.enum(['fixed_fractional', 'kelly', 'volatility_target']),
  /** Whole shares (or lots × lot size), rounded down. */
  shares: z.number().int().nonnegative(),
  notional: finite.nonnegative(),
  /** Notional as a fraction of equity. */
  fraction: finite.nonnegative(),
  /** Money lost if the stop is hit (fixed-fractional only). */
  riskAmount: finite.nonnegative().nullable(),
  /** Set when a cap (maximum fraction, Kelly cap, leverage limit) cut the size. */
  capped: z.boolean(),
  assumptions: z.array(assumptionSchema),
});
export type PositionSizingResult = z.infer<typeof positionSizingResultSchema>;

/** "Price a TSLA 250 call expiring in 30 days": anything left out is taken from the data or a stated default. */
export const optionRequestSchema = z.object({
  symbol: z.string().min(1),
  right: optionRightSchema,
  strike: z.number(),
  daysToExpiry: z.number(),
  spot: z.number().optional(),
  volatility: z.number().optional(),
  rate: z.number().optional(),
  dividendYield: z.number().optional(),
});
export type OptionRequest = z.infer<typeof optionRequestSchema>;

export const optionAnalysisSchema = z.object({
  symbol: z.string(),
  daysToExpiry: finite.positive(),
  quote: optionQuoteSchema,
  /** The same contract of the other right, priced with the same inputs (put-call parity holds between them). */
  parityPrice: finite,
  /** Time of the bar the spot and volatility were read from; null when both were given. */
  asOfT: z.number().int().nullable(),
  assumptions: z.array(assumptionSchema),
});
export type OptionAnalysis = z.infer<typeof optionAnalysisSchema>;
