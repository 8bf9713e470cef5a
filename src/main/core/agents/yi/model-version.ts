/**
 * Version of the Yi slot's built-in model (tokenizer, lexicon, scoring rules and neutral band). Change it with any
 * of them: cached analyses and stored news scores carry it, and a different version is never served as the same.
 */
export const MODEL_VERSION = 'yi-lexicon-1.0.0';
