/**
 * Version of the InternLM2 slot's built-in model (indicator definitions, defaults, anomaly rules and the stream
 * state layout). Change it with any of them: cached snapshots and stream states carry it, restoreState refuses a
 * state from another version, and a different version is never served as the same result.
 */
export const MODEL_VERSION = 'internlm2-stream-1.0.0';
