import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { intelMethods } from '../../../../shared/contract/intel';
import type { NewsImportReport } from '../../../../shared/domain/sentiment';
import { AuditLog } from '../../db/audit-log';
import { type Db, openDatabase } from '../../db/database';
import type { CallContext } from '../../handlers';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { MODEL_VERSION } from './model-version';
import { yiHandlers } from './yi-handlers';

const ctx: CallContext = { origin: 'test' };
const DAY = 86_400_000;
const MARKET_NOW = Date.UTC(2024, 4, 3, 14);
const WALL = 1_800_000_000_000;

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  cleanupTempDirs();
});

function setup() {
  db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
  const imported: NewsImportReport[] = [];
  const handlers = yiHandlers({
    db,
    marketNow: () => MARKET_NOW,
    wallClock: () => WALL,
    audit: new AuditLog(db),
    onImported: (r) => imported.push(r),
  });
  return { db, handlers, imported };
}

const FEED = [
  'date,symbol,title',
  '2024-05-03T13:00:00Z,TSLA,Tesla beats estimates and raises guidance',
  '2024-04-30T13:00:00Z,TSLA,Tesla shares plunge after a profit warning',
  '2024-05-10T13:00:00Z,TSLA,Tesla announces layoffs',
].join('\n');

/** Parses like the dispatcher would, then calls the handler and checks its output against the contract. */
async function call<M extends keyof ReturnType<typeof yiHandlers>>(
  handlers: ReturnType<typeof yiHandlers>,
  method: M,
  input: unknown,
) {
  const def = intelMethods[method];
  const args = def.input.parse(input);
  const out = await (handlers[method] as (a: unknown, c: CallContext) => unknown)(args, ctx);
  return def.output.parse(out) as Awaited<ReturnType<(typeof handlers)[M]>>;
}

describe('yiHandlers', () => {
  it('imports news, logs it in the audit log and reports it to the listener', async () => {
    const { db, handlers, imported } = setup();
    const report = await call(handlers, 'news.import', { fileName: 'feed.csv', text: FEED });
    expect(report).toMatchObject({ imported: 3, symbols: ['TSLA'] });
    expect(imported.map((r) => r.importId)).toEqual([report.importId]);
    const audit = db.prepare('SELECT at_ms, actor, action, detail_json FROM audit_log').all();
    expect(audit).toEqual([
      {
        at_ms: WALL,
        actor: 'test',
        action: 'news.import',
        detail_json: JSON.stringify({
          fileName: 'feed.csv',
          importId: report.importId,
          imported: 3,
          duplicates: 0,
          rejected: 0,
        }),
      },
    ]);
  });

  it('lists news with a default limit and a total', async () => {
    const { handlers } = setup();
    await call(handlers, 'news.import', { fileName: 'feed.csv', text: FEED });
    const all = await call(handlers, 'news.list', undefined);
    expect(all.total).toBe(3);
    expect(all.items.map((i) => i.tMs)).toEqual([
      Date.UTC(2024, 4, 10, 13),
      Date.UTC(2024, 4, 3, 13),
      Date.UTC(2024, 3, 30, 13),
    ]);
    const one = await call(handlers, 'news.list', { symbol: 'tsla', limit: 1 });
    expect(one.items).toHaveLength(1);
    expect((await call(handlers, 'news.list', { symbol: 'AAPL' })).total).toBe(0);
  });

  it('aggregates at the market clock by default, never seeing news published after it', async () => {
    const { handlers } = setup();
    await call(handlers, 'news.import', { fileName: 'feed.csv', text: FEED });
    const agg = await call(handlers, 'sentiment.symbol', { symbol: 'TSLA' });
    expect(agg.asOfMs).toBe(MARKET_NOW);
    // The layoffs headline of 10 May is in the future of the market clock (3 May).
    expect(agg.count).toBe(2);
    expect(agg.topHeadlines.map((h) => h.text)).not.toContain('Tesla announces layoffs');
    expect(agg.model.version).toBe(MODEL_VERSION);
    const later = await call(handlers, 'sentiment.symbol', {
      symbol: 'TSLA',
      asOfMs: Date.UTC(2024, 4, 10, 14),
      halfLifeMs: 2 * DAY,
    });
    expect(later.count).toBe(3);
    expect(later.halfLifeMs).toBe(2 * DAY);
    expect(later.label).toBe('negative');
    // With a one-day half-life the look-back is ten days: the 30 April item drops out.
    const short = await call(handlers, 'sentiment.symbol', {
      symbol: 'TSLA',
      asOfMs: Date.UTC(2024, 4, 10, 14),
      halfLifeMs: DAY,
    });
    expect(short.count).toBe(2);
  });

  it('scores a single text', async () => {
    const { handlers } = setup();
    const s = await call(handlers, 'sentiment.score', { text: '$NVDA to the moon 🚀' });
    expect(s).toMatchObject({ label: 'positive', symbols: ['NVDA'], modelVersion: MODEL_VERSION });
  });

  it('re-scores rows of an older model version when created', async () => {
    const { db, handlers } = setup();
    await call(handlers, 'news.import', { fileName: 'feed.csv', text: FEED });
    db.prepare("UPDATE news SET model_version = 'yi-old', score = 0, label = 'neutral'").run();
    const again = yiHandlers({ db, marketNow: () => MARKET_NOW, wallClock: () => WALL });
    const items = (await call(again, 'news.list', {})).items;
    expect(items.every((i) => i.modelVersion === MODEL_VERSION)).toBe(true);
    expect(items.map((i) => i.label)).toEqual(['negative', 'positive', 'negative']);
  });

  it('refuses bad input through the contract schemas', () => {
    expect(intelMethods['news.import'].input.safeParse({ path: '' }).success).toBe(false);
    expect(intelMethods['news.import'].input.safeParse({ fileName: 'a.csv' }).success).toBe(false);
    expect(intelMethods['news.list'].input.safeParse({ limit: 0 }).success).toBe(false);
    expect(intelMethods['sentiment.symbol'].input.safeParse({ symbol: 'TSLA', halfLifeMs: 5 }).success).toBe(false);
    expect(intelMethods['sentiment.score'].input.safeParse({ text: '' }).success).toBe(false);
  });
});
