/** Bump when the synthesis rules change: cached decisions of an older version are never served. */
export const MODEL_VERSION = 'qwen-synthesis-1.0.0';
