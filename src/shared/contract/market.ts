/**
 * Live market and replay: quotes and chart bars of the active session, the replay clock's controls, and the events
 * that push ticks, completed bars and clock changes to the desk.
 *
 * A session is either the seeded synthetic market (the default when nothing is imported; every quote, bar and tick
 * carries `source: 'synthetic'` so the desk marks it as simulated) or imported series replayed from the bar store.
 * All times are market time (UTC epoch ms), never the wall clock.
 */
import { z } from 'zod';
import { barSchema, marketSourceSchema, tickSchema, timeframeSchema } from '../domain/market';
import { tickerSchema } from '../settings';
import { symbolSchema } from './data';
import { event, method, noInput } from './define';

/** Fastest paced replay speed (× real time). */
export const REPLAY_MAX_SPEED = 10_000;
/** Most bars one `market.bars` call returns (the chart keeps at most this many per timeframe). */
export const MARKET_BARS_MAX_LIMIT = 5_000;
/** Most symbols in one replay session. */
export const REPLAY_MAX_SYMBOLS = 50;

/** A replay speed: 1 (real time) to 10,000 times faster, or 'max' (as fast as possible, for backtests). */
export const replaySpeedSchema = z.union([z.number().min(1).max(REPLAY_MAX_SPEED), z.literal('max')]);
export type ReplaySpeedInput = z.infer<typeof replaySpeedSchema>;

/** One symbol's live quote. Prices are null until its first trade in the session. */
export const quoteSchema = z.object({
  symbol: z.string(),
  source: marketSourceSchema,
  /** Market time of the last trade, or null. */
  t: z.number().int().nullable(),
  last: z.number().positive().nullable(),
  /** The previous trading day's last price: what `change` is measured against. */
  prevClose: z.number().positive().nullable(),
  /** last - prevClose. */
  change: z.number().nullable(),
  /** (last - prevClose) / prevClose × 100. */
  changePct: z.number().nullable(),
  /** Today's open, high, low (regular session) and traded volume. */
  open: z.number().positive().nullable(),
  high: z.number().positive().nullable(),
  low: z.number().positive().nullable(),
  volume: z.number().nonnegative(),
});
export type Quote = z.infer<typeof quoteSchema>;

/** A completed bar of one symbol and timeframe. */
export const barEventSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  source: marketSourceSchema,
  bar: barSchema,
});
export type BarEventPayload = z.infer<typeof barEventSchema>;

/** The replay session and its clock. */
export const replayStateSchema = z.object({
  source: marketSourceSchema,
  symbols: z.array(z.string()),
  /** The timeframe the replay steps in (1m for the synthetic market); coarser bars are aggregated live. */
  timeframe: timeframeSchema,
  /** The synthetic market's seed; null for imported data. */
  seed: z.number().int().nullable(),
  playing: z.boolean(),
  speed: replaySpeedSchema,
  /** Current market time. */
  marketT: z.number().int(),
  /** Earliest market time the session can seek to. */
  firstT: z.number().int(),
  /** Latest market time with data; null for the synthetic market, which has no end. */
  lastT: z.number().int().nullable(),
  /** True when imported data was played to its end (seek back to play again). */
  ended: z.boolean(),
  /** Market ms per wall ms actually achieved over the last second (below `speed` when the machine cannot keep up). */
  effectiveSpeed: z.number().nonnegative().nullable(),
});
export type ReplayState = z.infer<typeof replayStateSchema>;

/** What to replay: the synthetic market (defaults: the watchlist, the configured seed) or imported series. */
export const replayLoadSchema = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('synthetic'),
    seed: z.number().int().min(0).max(0xffff_ffff).optional(),
    symbols: z.array(tickerSchema).min(1).max(REPLAY_MAX_SYMBOLS).optional(),
    /** Market time to start at; a fixed recent date when omitted (never today: replays must be reproducible). */
    start: z.number().int().optional(),
  }),
  z.object({
    source: z.literal('imported'),
    symbols: z.array(symbolSchema).min(1).max(REPLAY_MAX_SYMBOLS),
    timeframe: timeframeSchema,
    /** Market time to start at; the first stored bar when omitted. */
    start: z.number().int().optional(),
    /** Trading hours of the data; detected from the bars when omitted (weekend or overnight bars: continuous). */
    calendar: z.enum(['us-equity', 'continuous']).optional(),
  }),
]);
export type ReplayLoadInput = z.infer<typeof replayLoadSchema>;

export const marketMethods = {
  'market.quotes': method({
    summary: 'Last price, day change and day range of every symbol in the replay session.',
    input: noInput,
    output: z.object({ source: marketSourceSchema, marketT: z.number().int(), quotes: z.array(quoteSchema) }),
  }),
  'market.bars': method({
    summary: `Recent completed bars of one symbol (oldest first, at most ${MARKET_BARS_MAX_LIMIT}) and the bar still forming.`,
    input: z.object({
      symbol: symbolSchema,
      timeframe: timeframeSchema,
      limit: z.number().int().positive().max(MARKET_BARS_MAX_LIMIT).optional(),
    }),
    output: z.object({
      symbol: z.string(),
      timeframe: timeframeSchema,
      source: marketSourceSchema,
      bars: z.array(barSchema),
      /** The bar in progress, from the ticks played so far; null between sessions. */
      forming: barSchema.nullable(),
    }),
  }),
  'replay.state': method({
    summary: 'The replay session and its clock: source, symbols, playing, speed, market time.',
    input: noInput,
    output: replayStateSchema,
  }),
  'replay.play': method({
    summary: 'Starts or resumes the replay at the current speed.',
    input: noInput,
    output: replayStateSchema,
  }),
  'replay.pause': method({ summary: 'Pauses the replay.', input: noInput, output: replayStateSchema }),
  'replay.step': method({
    summary: 'Pauses and plays exactly one bar of the replay timeframe.',
    input: noInput,
    output: replayStateSchema,
  }),
  'replay.seek': method({
    summary: 'Jumps to a market time (the bar in progress then, or the next open); charts reload from history.',
    input: z.object({ t: z.number().int() }),
    output: replayStateSchema,
  }),
  'replay.setSpeed': method({
    summary: `Sets the speed: 1 (real time) to ${REPLAY_MAX_SPEED} times faster, or 'max' (as fast as possible).`,
    input: z.object({ speed: replaySpeedSchema }),
    output: replayStateSchema,
  }),
  'replay.load': method({
    summary: 'Replaces the session: the synthetic market (seed, symbols, start) or imported series. Paused after.',
    input: replayLoadSchema,
    output: replayStateSchema,
  }),
} as const;

export const marketEvents = {
  onTicks: event({
    summary:
      'Trade ticks played since the last batch (about every 50 ms), the quotes they changed and the market time. When too many ticks came for one message, each bar keeps its open, high, low and last tick and `dropped` counts the rest.',
    payload: z.object({
      marketT: z.number().int(),
      ticks: z.array(tickSchema),
      quotes: z.array(quoteSchema),
      dropped: z.number().int().nonnegative(),
    }),
  }),
  onBars: event({
    summary:
      'Bars completed since the last batch, in completion order. `truncated` means some were left out (replay at max speed): reload the chart with market.bars.',
    payload: z.object({ bars: z.array(barEventSchema), truncated: z.boolean() }),
  }),
  onReplayState: event({
    summary: 'The replay session or its clock changed (load, play, pause, speed, seek, end of data).',
    payload: replayStateSchema,
  }),
} as const;

export type MarketMethods = typeof marketMethods;
export type MarketMethodName = keyof MarketMethods;
export type MarketMethodArgs<M extends MarketMethodName> = z.output<MarketMethods[M]['input']>;
export type MarketMethodOutput<M extends MarketMethodName> = z.output<MarketMethods[M]['output']>;
export type MarketEvents = typeof marketEvents;
export type MarketEventName = keyof MarketEvents;
export type MarketEventPayload<E extends MarketEventName> = z.output<MarketEvents[E]['payload']>;
