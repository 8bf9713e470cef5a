/**
 * Version of the Moonshot slot's built-in model (pattern rules, thresholds, confidence weights). Change it with any
 * of them: cached pattern hits carry it, and a different version is never served as the same result.
 */
export const MODEL_VERSION = 'moonshot-patterns-1.0.0';
