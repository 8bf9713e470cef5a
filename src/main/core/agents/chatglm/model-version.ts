import { KNOWLEDGE_BASE_VERSION } from './knowledge-base';

/**
 * Version of the ChatGLM slot's built-in model: the knowledge base, the retrieval (query normalisation, bm25
 * weights, the "no rule" threshold) and the order-check rules. Change the suffix with any rule or retrieval change.
 */
export const MODEL_VERSION = `chatglm-kb-${KNOWLEDGE_BASE_VERSION}+rules-1`;
