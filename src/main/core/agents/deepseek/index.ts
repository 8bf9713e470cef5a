/** DeepSeek slot's built-in model: option pricing, implied volatility, VaR and position sizing. */
export { bsGreeks, bsPrice, checkOptionInputs, priceOption, putCallParityGap } from './black-scholes';
export { type ImpliedVolInput, impliedVolatility } from './implied-vol';
export { normCdf, normInv, normPdf } from './normal';
export {
  analyzeOptionRequest,
  DEFAULT_RATE,
  DEFAULT_VOL_WINDOW,
  MODEL_VERSION,
  type OptionData,
  realizedVolatility,
} from './option-request';
export {
  historicalVar,
  type ParametricVarInput,
  type PortfolioVarInput,
  parametricPortfolioVar,
  parametricVar,
  simpleReturns,
  type VarOptions,
} from './risk';
export {
  type FixedFractionalInput,
  fixedFractionalSize,
  type KellyInput,
  kellyFraction,
  kellySize,
  type VolatilityTargetInput,
  volatilityTargetSize,
} from './sizing';
