/** Moonshot slot's built-in model: candlestick and chart pattern recognition (see patterns.ts). */
export {
  describeHit,
  detectPatterns,
  type FindPatternOptions,
  findPattern,
  MODEL_VERSION,
  type PatternOptions,
} from './patterns';
