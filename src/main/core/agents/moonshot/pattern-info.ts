/**
 * Display names, categories and directions of the patterns Moonshot knows, and the helper that turns a detector's
 * finding into a {@link PatternHit} with times taken from the bars.
 */
import {
  type CandlestickPatternKind,
  candlestickPatternKinds,
  type PatternDetail,
  type PatternDirection,
  type PatternHit,
  type PatternKind,
} from '../../../../shared/domain/analysis';
import type { Bar } from '../../../../shared/domain/market';

interface PatternInfo {
  name: string;
  category: 'candlestick' | 'chart';
  direction: PatternDirection;
}

export const patternInfo: Record<PatternKind, PatternInfo> = {
  doji: { name: 'Doji', category: 'candlestick', direction: 'neutral' },
  hammer: { name: 'Hammer', category: 'candlestick', direction: 'bullish' },
  inverted_hammer: { name: 'Inverted hammer', category: 'candlestick', direction: 'bullish' },
  shooting_star: { name: 'Shooting star', category: 'candlestick', direction: 'bearish' },
  hanging_man: { name: 'Hanging man', category: 'candlestick', direction: 'bearish' },
  bullish_engulfing: { name: 'Bullish engulfing', category: 'candlestick', direction: 'bullish' },
  bearish_engulfing: { name: 'Bearish engulfing', category: 'candlestick', direction: 'bearish' },
  piercing_line: { name: 'Piercing line', category: 'candlestick', direction: 'bullish' },
  dark_cloud_cover: { name: 'Dark cloud cover', category: 'candlestick', direction: 'bearish' },
  morning_star: { name: 'Morning star', category: 'candlestick', direction: 'bullish' },
  evening_star: { name: 'Evening star', category: 'candlestick', direction: 'bearish' },
  three_white_soldiers: { name: 'Three white soldiers', category: 'candlestick', direction: 'bullish' },
  three_black_crows: { name: 'Three black crows', category: 'candlestick', direction: 'bearish' },
  bullish_harami: { name: 'Bullish harami', category: 'candlestick', direction: 'bullish' },
  bearish_harami: { name: 'Bearish harami', category: 'candlestick', direction: 'bearish' },
  bull_flag: { name: 'Bull flag', category: 'chart', direction: 'bullish' },
  bear_flag: { name: 'Bear flag', category: 'chart', direction: 'bearish' },
  double_top: { name: 'Double top', category: 'chart', direction: 'bearish' },
  double_bottom: { name: 'Double bottom', category: 'chart', direction: 'bullish' },
  head_and_shoulders: { name: 'Head and shoulders', category: 'chart', direction: 'bearish' },
  inverse_head_and_shoulders: { name: 'Inverse head and shoulders', category: 'chart', direction: 'bullish' },
  breakout_up: { name: 'Breakout up', category: 'chart', direction: 'bullish' },
  breakout_down: { name: 'Breakout down', category: 'chart', direction: 'bearish' },
};

export function isCandlestickKind(kind: PatternKind): kind is CandlestickPatternKind {
  return (candlestickPatternKinds as readonly string[]).includes(kind);
}

/** The parts of a detail a detector may leave out. */
export type DetailInput = Partial<PatternDetail>;

/** Rounds to 4 decimals: confidences are judgements, and short numbers keep cached results small and stable. */
function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

export function makeHit(
  bars: readonly Bar[],
  kind: PatternKind,
  startIndex: number,
  endIndex: number,
  confidence: number,
  confirmed: boolean,
  detail: DetailInput = {},
): PatternHit {
  const info = patternInfo[kind];
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(detail.metrics ?? {})) if (Number.isFinite(v)) metrics[k] = round4(v);
  return {
    kind,
    name: info.name,
    category: info.category,
    direction: info.direction,
    startIndex,
    endIndex,
    startT: (bars[startIndex] as Bar).t,
    endT: (bars[endIndex] as Bar).t,
    confidence: round4(Math.min(1, Math.max(0, confidence))),
    confirmed,
    detail: {
      lines: detail.lines ?? [],
      points: detail.points ?? [],
      breakoutLevel: detail.breakoutLevel ?? null,
      target: detail.target ?? null,
      invalidation: detail.invalidation ?? null,
      metrics,
    },
  };
}
