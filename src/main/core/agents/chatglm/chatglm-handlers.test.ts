import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { intelMethods } from '../../../../shared/contract/intel';
import { toE4 } from '../../../../shared/money';
import { AppError } from '../../../../shared/result';
import { type Db, openDatabase } from '../../db/database';
import type { CallContext } from '../../handlers';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { type ChatGlmHandlers, chatGlmHandlers } from './chatglm-handlers';
import { KNOWLEDGE_BASE, KNOWLEDGE_BASE_VERSION } from './knowledge-base';

const ctx: CallContext = { origin: 'test' };

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  cleanupTempDirs();
});

/** Parses like the dispatcher would, then calls the handler and checks its output against the contract. */
async function call<M extends keyof ChatGlmHandlers>(handlers: ChatGlmHandlers, method: M, input: unknown) {
  const def = intelMethods[method];
  const out = await (handlers[method] as (a: unknown, c: CallContext) => unknown)(def.input.parse(input), ctx);
  return def.output.parse(out) as Awaited<ReturnType<ChatGlmHandlers[M]>>;
}

describe('chatGlmHandlers', () => {
  it('loads the knowledge base on creation and answers from it', async () => {
    db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
    const handlers = chatGlmHandlers({ db });
    const list = await call(handlers, 'knowledge.list', undefined);
    expect(list.version).toBe(KNOWLEDGE_BASE_VERSION);
    expect(list.passages).toHaveLength(KNOWLEDGE_BASE.length);
    const a = await call(handlers, 'knowledge.ask', { question: 'what is the pattern day trader rule?' });
    expect(a).toMatchObject({ found: true, sourceIds: expect.arrayContaining(['pdt-rule']) });
    expect((await call(handlers, 'knowledge.get', { id: 'luld' })).title).toMatch(/Limit Up-Limit Down/);
  });

  it('answers NOT_FOUND for an unknown passage id', async () => {
    db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
    const handlers = chatGlmHandlers({ db });
    await expect(call(handlers, 'knowledge.get', { id: 'nope' })).rejects.toSatisfy(
      (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND',
    );
  });

  it('checks a broker order as it is, ignoring fields it does not use', async () => {
    db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
    const handlers = chatGlmHandlers({ db });
    const order = { id: 'ord-1', symbol: 'tsla', side: 'sell', qty: 10, type: 'market', timeInForce: 'day' };
    const check = await call(handlers, 'knowledge.checkOrder', {
      order,
      context: {
        accountType: 'margin',
        nowMs: Date.UTC(2024, 4, 8, 15),
        equityE4: toE4(50_000),
        positionQty: 0,
        lastPriceE4: toE4(170),
        changeFromPriorClosePct: -11,
        locateAvailable: true,
      },
    });
    expect(check.allowed).toBe(false);
    expect(check.warnings.map((w) => w.ruleId)).toEqual(['ssr-rule-201']);
    expect(
      intelMethods['knowledge.checkOrder'].input.safeParse({ order: { ...order, qty: 0 }, context: {} }).success,
    ).toBe(false);
    expect(intelMethods['knowledge.ask'].input.safeParse({ question: '   ' }).success).toBe(false);
  });
});
