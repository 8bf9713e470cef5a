import { afterEach, describe, expect, it } from 'vitest';
import type { Answer, Decision } from '../../../shared/domain/decision';
import { ManualScheduler } from '../market/replay/scheduler';
import { cleanupTempDirs, createTestEngine, makeTempDir } from '../testing/fixtures';

afterEach(cleanupTempDirs);

function setup(dataDir = makeTempDir()) {
  const t = createTestEngine({ dataDir, loadMarket: true, scheduler: new ManualScheduler(0) });
  const ask = async (text: string): Promise<Answer> => {
    const result = await t.dispatch('engine.ask', { text }, { origin: 'test' });
    if (!result.ok) throw new Error(result.error.message);
    return result.value as Answer;
  };
  return { ...t, ask };
}

const slotsOf = (a: Answer) => a.slots.map((s) => s.slot);

describe('orchestrator: routing and the pattern cache', () => {
  it('answers a pattern question with Moonshot and Qwen, then again from the cache', async () => {
    const { engine, ask } = setup();
    const first = await ask('is this a bull flag on TSLA?');
    expect(first.intent).toMatchObject({ kind: 'pattern', symbol: 'TSLA', pattern: 'bull_flag' });
    expect(slotsOf(first)).toEqual(['moonshot', 'qwen']);
    expect(first.text).toMatch(/^TSLA \(Tesla\) last [\d.]+.*(Yes|No): /);
    const second = await ask('is this a bull flag on TSLA?');
    expect(second.slots.every((s) => s.fromCache && s.tier === 'memory')).toBe(true);
    expect(second.text).toBe(first.text);
    await engine.close();
  });

  it('runs all seven slots for a comprehensive question and explains the decision slot by slot', async () => {
    const { engine, ask } = setup();
    const decisions: Decision[] = [];
    engine.events.on('onDecision', (d) => decisions.push(d));
    const first = await ask('should I buy Tesla calls?');
    expect(new Set(slotsOf(first))).toEqual(
      new Set(['internlm2', 'moonshot', 'deepseek', 'yi', 'chatglm', 'qwen', 'minimax']),
    );
    expect(first.decision?.symbol).toBe('TSLA');
    expect(['BUY', 'SELL', 'HOLD']).toContain(first.decision?.action);
    for (const name of ['InternLM2', 'Moonshot', 'Yi', 'ChatGLM', 'DeepSeek'])
      expect(first.text).toContain(`${name} (`);
    expect(first.text).toMatch(/call over 30 days is worth about \$[\d.]+/);
    expect(decisions.map((d) => d.id)).toContain(first.decision?.id);
    const again = await ask('should I buy Tesla calls?');
    const hits = again.slots.filter((s) => s.fromCache).map((s) => s.slot);
    expect(hits).toEqual(expect.arrayContaining(['internlm2', 'moonshot', 'deepseek', 'yi', 'chatglm', 'qwen']));
    expect(again.decision?.fromCache).toBe(true);
    expect(again.text).toMatch(/InternLM2 \(from the cache\)/);
    expect(first.text).toMatch(/InternLM2 \(computed now\)/);
    await engine.close();
  });

  it('never serves a cached result for different inputs: a new bar is recomputed', async () => {
    const { engine, ask } = setup();
    await ask("what's the RSI of NVDA");
    const cached = await ask("what's the RSI of NVDA");
    expect(cached.slots[0]?.fromCache).toBe(true);
    engine.market.step();
    await engine.orchestrator.admission.whenIdle();
    const viewBefore = engine.orchestrator.views.view('NVDA');
    const after = await ask("what's the RSI of NVDA");
    // The decode path computed the new bar's indicators; the question reads them, and the text is about the new bar.
    expect(viewBefore?.lastT).toBeGreaterThan(0);
    expect(after.slots.find((s) => s.slot === 'qwen')?.fromCache).toBe(false);
    await engine.close();
  });

  it('serves a result from the SQLite tier after a restart', async () => {
    const dataDir = makeTempDir();
    const one = setup(dataDir);
    const before = await one.ask('calculate the Black-Scholes price of a TSLA 250 call expiring in 30 days');
    expect(before.slots.find((s) => s.slot === 'deepseek')?.fromCache).toBe(false);
    await one.engine.close();
    const two = setup(dataDir);
    const after = await two.ask('calculate the Black-Scholes price of a TSLA 250 call expiring in 30 days');
    const deepseek = after.slots.find((s) => s.slot === 'deepseek');
    expect(deepseek).toMatchObject({ fromCache: true, tier: 'sqlite' });
    expect(after.text).toBe(before.text);
    await two.engine.close();
  });

  it('never serves an old sentiment after a restart and an import of other news', async () => {
    // Regression: Yi was keyed by an in-memory import counter, which restarted from the row count, so after a
    // restart an import could bring it back to a value an older entry in the SQLite tier was stored under.
    const dataDir = makeTempDir();
    const one = setup(dataDir);
    const call = async (t: ReturnType<typeof setup>, method: string, input: unknown) => {
      const r = await t.dispatch(method as never, input as never, { origin: 'test' });
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as { imported: number };
    };
    const now = one.engine.marketNow();
    const iso = (ms: number) => new Date(ms).toISOString();
    const good = `time,symbol,text\n${[1, 2, 3]
      .map((i) => `${iso(now - i * 60_000)},AAPL,Apple beats estimates and raises guidance ${i}`)
      .join('\n')}`;
    // Re-importing the same file adds nothing (duplicates): a counter of imports would still move.
    for (let k = 0; k < 4; k++) await call(one, 'news.import', { fileName: 'good.csv', text: good });
    const before = await one.ask('what is the sentiment on AAPL');
    expect(before.text).toMatch(/positive/);
    expect(before.text).toMatch(/over 3 items/);
    await one.engine.close();

    const two = setup(dataDir);
    const bad = `time,symbol,text\n${[1, 2, 3, 4, 5]
      .map((i) => `${iso(now - i * 30_000)},AAPL,Apple misses estimates and cuts guidance and faces a lawsuit ${i}`)
      .join('\n')}`;
    expect((await call(two, 'news.import', { fileName: 'bad.csv', text: bad })).imported).toBe(5);
    const after = await two.ask('what is the sentiment on AAPL');
    expect(after.text).toMatch(/over 8 items/);
    expect(after.slots.find((s) => s.slot === 'yi')?.fromCache).toBe(false);
    await two.engine.close();

    // The same news after a restart is the same key: the aggregate comes back from the SQLite tier.
    const three = setup(dataDir);
    const again = await three.ask('what is the sentiment on AAPL');
    expect(again.slots.find((s) => s.slot === 'yi')).toMatchObject({ fromCache: true, tier: 'sqlite' });
    expect(again.text).toMatch(/over 8 items/);
    await three.engine.close();
  });

  it("gives ChatGLM the prior-close change and the cash account's settlement, so those rules fire on real orders", async () => {
    const dataDir = makeTempDir();
    // A margin account (shorting on) and a stock imported with a 12% drop on its last day.
    const setupOne = setup(dataDir);
    setupOne.engine.settings.set('broker.allowShort', true, 0);
    await setupOne.engine.close();
    const { engine, dispatch } = setup(dataDir);
    const days = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'];
    const closes = [50, 51, 50.5, 50, 44];
    const csv = `Date,Open,High,Low,Close,Volume\n${days
      .map((d, i) => `${d},${closes[i]},${(closes[i] as number) + 1},${(closes[i] as number) - 1},${closes[i]},100000`)
      .join('\n')}`;
    const imported = await dispatch('data.importText', { fileName: 'ZZZT.csv', text: csv, symbol: 'ZZZT' } as never, {
      origin: 'test',
    });
    expect(imported.ok).toBe(true);
    const short = engine.orchestrator.orderWarnings({ symbol: 'ZZZT', side: 'sell', qty: 10, type: 'market' });
    expect(short.join(' ')).toMatch(/Blocked: .*(Rule 201|short sale restriction)/i);
    await engine.close();

    // A cash account that sold today: buying with those proceeds is flagged as a good-faith risk.
    const cash = setup();
    const ask = cash.ask;
    expect((await ask('buy 100 AAPL at market')).order?.status).toBe('placed');
    for (let i = 0; i < 3 && cash.engine.broker.positions().length === 0; i++) {
      cash.engine.market.step();
      await cash.engine.orchestrator.admission.whenIdle();
    }
    expect(cash.engine.broker.positions()[0]?.qty).toBe(100);
    expect((await ask('sell 100 AAPL at market')).order?.status).toBe('placed');
    for (let i = 0; i < 3 && cash.engine.broker.positions().length > 0; i++) {
      cash.engine.market.step();
      await cash.engine.orchestrator.admission.whenIdle();
    }
    expect(cash.engine.broker.positions()).toHaveLength(0);
    const cashE4 = cash.engine.broker.summary().cashE4;
    const price = (cash.engine.orchestrator.views.view('MSFT')?.bars.at(-1)?.c ?? 0) as number;
    // More than the account's unsettled-free cash: it needs today's proceeds.
    const qty = Math.floor((cashE4 / 1e4 - 1000) / price);
    const buy = await ask(`buy ${qty} MSFT at market`);
    expect(buy.text).toMatch(/unsettled sale proceeds.*good faith violation/);
    // A purchase that settled cash covers is not flagged.
    const small = await ask('buy 1 MSFT at market');
    expect(small.text).not.toMatch(/unsettled/);
    await cash.engine.close();
  });

  it('routes a price question to Qwen only, and a knowledge question to ChatGLM', async () => {
    const { engine, ask } = setup();
    expect(slotsOf(await ask('what is the price of AAPL'))).toEqual(['qwen']);
    const rule = await ask('what is the pattern day trader rule');
    expect(slotsOf(rule)).toEqual(['chatglm']);
    expect(rule.text).toMatch(/four or more day trades/);
    await engine.close();
  });

  it('says what it needs when a question cannot be parsed, and never throws', async () => {
    const { engine, ask } = setup();
    const answer = await ask('open the settings window');
    expect(answer.intent.kind).toBe('unknown');
    expect(answer.text).toMatch(/didn't understand.*Try: "buy 10 AAPL at market"/);
    const missing = await ask('is this a bull flag on ZZZZ');
    expect(missing.text).toMatch(/No bars for ZZZZ/);
    await engine.close();
  });
});

describe('orchestrator: orders', () => {
  it('places a typed order with the knowledge check, and refuses an impossible one with the reason', async () => {
    const { engine, ask } = setup();
    const placed = await ask('buy 10 AAPL limit 1');
    expect(placed.order).toMatchObject({ status: 'placed' });
    expect(slotsOf(placed)).toEqual(['chatglm']);
    expect(engine.broker.orders({ status: 'working' })).toHaveLength(1);
    const tooBig = await ask('buy 1000000 AAPL at market');
    expect(tooBig.order?.status).toBe('rejected');
    // ChatGLM stops it first: a cash account cannot spend more than its cash.
    expect(tooBig.text).toMatch(/more than the cash available.*cannot borrow/i);
    expect(engine.broker.orders({ status: 'working' })).toHaveLength(1);
    const unknown = await ask('buy 10 ZZZZ');
    expect(unknown.order?.status).toBe('rejected');
    await engine.close();
  });
});

describe('orchestrator: the decode path', () => {
  it('decides on every new bar, publishes changes, and gives the same decision without the cache', async () => {
    const cached = setup();
    const traditional = setup();
    traditional.engine.orchestrator.mode = 'traditional';
    const published: Decision[] = [];
    cached.engine.events.on('onDecision', (d) => published.push(d));
    for (let i = 0; i < 3; i++) {
      for (const e of [cached.engine, traditional.engine]) {
        e.market.step();
        await e.orchestrator.admission.whenIdle();
      }
    }
    expect(cached.engine.orchestrator.stats().decisions.count).toBe(15);
    expect(new Set(published.map((d) => d.symbol))).toEqual(new Set(['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY']));
    // Same inputs, same decision, whether the slots' results came from the cache or not.
    const a = await cached.ask('should I buy NVDA?');
    const b = await traditional.ask('should I buy NVDA?');
    expect(a.decision?.action).toBe(b.decision?.action);
    expect(a.decision?.confidence).toBeCloseTo(b.decision?.confidence ?? -1, 6);
    expect(a.decision?.suggestedQty).toBe(b.decision?.suggestedQty);
    await cached.engine.close();
    await traditional.engine.close();
  });
});
