/** Bump when the alert wording rules change. */
export const MODEL_VERSION = 'minimax-alerts-1.0.0';
