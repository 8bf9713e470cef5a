import type { CacheNamespace, CacheTtlClass } from '../../../shared/domain/cache';
import type { SlotId } from '../../../shared/domain/intent';
import { MODEL_VERSION as CHATGLM } from '../agents/chatglm/model-version';
import { MODEL_VERSION as DEEPSEEK } from '../agents/deepseek/model-version';
import { MODEL_VERSION as INTERNLM2 } from '../agents/internlm2/model-version';
import { MODEL_VERSION as MINIMAX } from '../agents/minimax/model-version';
import { MODEL_VERSION as MOONSHOT } from '../agents/moonshot/model-version';
import { MODEL_VERSION as QWEN } from '../agents/qwen/model-version';
import { MODEL_VERSION as YI } from '../agents/yi/model-version';

/** One model slot as the seed names it, with the built-in backend that fills it. */
export interface SlotInfo {
  id: SlotId;
  name: string;
  role: string;
  /** Shown in the agent panel: which backend answered. */
  backend: string;
  version: string;
  namespace: CacheNamespace;
  ttlClass: CacheTtlClass;
  /** What the slot reads. */
  inputs: readonly string[];
}

/**
 * The seven slots. Namespaces and TTL classes follow the seed: raw indicator streams are market data; patterns
 * and analyses live half an hour of market time; decisions and alerts are signals.
 */
export const slotCatalog: Readonly<Record<SlotId, SlotInfo>> = {
  internlm2: {
    id: 'internlm2',
    name: 'InternLM2',
    role: 'stream processing',
    backend: 'built-in incremental indicators',
    version: INTERNLM2,
    namespace: 'market_data',
    ttlClass: 'market_data',
    inputs: ['bars'],
  },
  moonshot: {
    id: 'moonshot',
    name: 'Moonshot',
    role: 'pattern recognition',
    backend: 'built-in candlestick and chart patterns',
    version: MOONSHOT,
    namespace: 'pattern',
    ttlClass: 'analysis',
    inputs: ['bars'],
  },
  deepseek: {
    id: 'deepseek',
    name: 'DeepSeek',
    role: 'mathematical analysis',
    backend: 'built-in Black-Scholes, VaR and sizing',
    version: DEEPSEEK,
    namespace: 'model_analysis',
    ttlClass: 'analysis',
    inputs: ['bars', 'option terms', 'InternLM2 (ATR)'],
  },
  yi: {
    id: 'yi',
    name: 'Yi',
    role: 'sentiment',
    backend: 'built-in finance and slang lexicon',
    version: YI,
    namespace: 'market_insight',
    ttlClass: 'analysis',
    inputs: ['imported news'],
  },
  chatglm: {
    id: 'chatglm',
    name: 'ChatGLM',
    role: 'financial knowledge',
    backend: 'built-in rules knowledge base (SQLite FTS5)',
    version: CHATGLM,
    namespace: 'market_insight',
    ttlClass: 'default',
    inputs: ['question', 'order', 'account'],
  },
  qwen: {
    id: 'qwen',
    name: 'Qwen',
    role: 'synthesis',
    backend: 'built-in weighted vote of the slots and the DQN policy',
    version: QWEN,
    namespace: 'decision',
    ttlClass: 'signal',
    inputs: ['InternLM2', 'Moonshot', 'DeepSeek', 'Yi', 'ChatGLM', 'DQN policy'],
  },
  minimax: {
    id: 'minimax',
    name: 'MiniMax',
    role: 'voice generation',
    backend: 'built-in alert wording, spoken by the voice engine',
    version: MINIMAX,
    namespace: 'decision',
    ttlClass: 'signal',
    inputs: ['Qwen decision'],
  },
};
