/**
 * Version of the DeepSeek slot's built-in model (pricing formulas, implied-volatility solver, VaR and sizing rules,
 * and the defaults an option request falls back on: rate, volatility window, day count). Change it with any of them.
 */
export const MODEL_VERSION = 'deepseek-math-1.0.0';
