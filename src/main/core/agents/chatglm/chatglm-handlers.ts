import type { IntelArgs, IntelOutput } from '../../../../shared/contract/intel';
import { AppError } from '../../../../shared/result';
import type { Db } from '../../db/database';
import type { CallContext } from '../../handlers';
import { answerQuestion } from './knowledge-answerer';
import { KNOWLEDGE_BASE, KNOWLEDGE_BASE_VERSION } from './knowledge-base';
import { KnowledgeRepository } from './knowledge-repository';
import { checkOrder } from './order-check';

type ChatGlmMethod = 'knowledge.ask' | 'knowledge.checkOrder' | 'knowledge.get' | 'knowledge.list';

/** A handler of one intel method; the same shape as `Handler<M>` once the methods are merged into the contract. */
export type ChatGlmHandler<M extends ChatGlmMethod> = (
  args: IntelArgs<M>,
  ctx: CallContext,
) => IntelOutput<M> | Promise<IntelOutput<M>>;

export type ChatGlmHandlers = { [M in ChatGlmMethod]: ChatGlmHandler<M> };

export interface ChatGlmDeps {
  db: Db;
}

/**
 * The ChatGLM slot's commands: questions on trading rules and compliance checks of orders. Loads the knowledge
 * base into the FTS tables when the stored one has another version.
 */
export function chatGlmHandlers(deps: ChatGlmDeps): ChatGlmHandlers {
  const repo = new KnowledgeRepository(deps.db);
  repo.ensureSeeded(KNOWLEDGE_BASE, KNOWLEDGE_BASE_VERSION);
  return {
    'knowledge.ask': (args) => answerQuestion(repo, args.question, args.limit),
    'knowledge.checkOrder': (args) => checkOrder(args.order, args.context),
    'knowledge.get': (args) => {
      const passage = repo.get(args.id);
      if (!passage) throw new AppError('NOT_FOUND', `No knowledge passage "${args.id}"; knowledge.list gives the ids.`);
      return passage;
    },
    'knowledge.list': () => ({ version: repo.storedVersion() ?? KNOWLEDGE_BASE_VERSION, passages: repo.list() }),
  };
}
