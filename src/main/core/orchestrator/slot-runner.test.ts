import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result';
import { PatternCache } from '../cache/pattern-cache';
import { type Db, openDatabase } from '../db/database';
import { cleanupTempDirs, makeTempDir } from '../testing/fixtures';
import { PerfMonitor } from './perf-monitor';
import { type SlotCall, SlotRunner, withTimeout } from './slot-runner';

const open: { cache: PatternCache; db: Db }[] = [];

/** A runner on a real SQLite file and a real pattern cache. */
function setup(mode: 'cached' | 'traditional' = 'cached', budgetUs?: number) {
  const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
  const cache = new PatternCache({ db, clock: { domain: 'wall', now: () => 1_000 }, sweepIntervalMs: 0 });
  open.push({ cache, db });
  const perf = new PerfMonitor(() => 1_000);
  return { runner: new SlotRunner(cache, perf, mode, budgetUs), perf, cache };
}

afterEach(() => {
  for (const { cache, db } of open.splice(0)) {
    cache.close();
    db.close();
  }
  cleanupTempDirs();
});

function call<T>(compute: () => T, more: Partial<SlotCall<T>> = {}): SlotCall<T> {
  return { slot: 'deepseek', params: { kind: 'test' }, fingerprint: 'bars-1', compute, summarize: String, ...more };
}

describe('SlotRunner: the safe wrapper every slot is called through', () => {
  it('turns a slot that throws into a failed run with its reason, and counts it', () => {
    const { runner, perf } = setup();
    const result = runner.run(
      call(() => {
        throw new AppError('BAD_INPUT', 'Days to expiry must be positive');
      }),
    );
    expect(result.value).toBeUndefined();
    expect(result.run).toMatchObject({ slot: 'deepseek', ok: false, fromCache: false });
    expect(result.run.error).toBe('Days to expiry must be positive');
    expect(result.run.summary).toBe('failed: Days to expiry must be positive');
    expect(perf.slotStats('deepseek')).toMatchObject({ calls: 1, errors: 1 });
  });

  it('stores nothing for a failed compute: the next call computes again', () => {
    const { runner } = setup();
    let calls = 0;
    const flaky = () => {
      calls++;
      if (calls === 1) throw new Error('transient');
      return 42;
    };
    expect(runner.run(call(flaky)).run.ok).toBe(false);
    const second = runner.run(call(flaky));
    expect(second).toMatchObject({ value: 42, run: { ok: true, fromCache: false } });
    expect(runner.run(call(flaky)).run).toMatchObject({ ok: true, fromCache: true, tier: 'memory' });
    expect(calls).toBe(2);
  });

  it('reports a slot over its budget, keeping its result', () => {
    const { runner } = setup('cached', 1_000);
    const slow = runner.run(
      call(() => {
        const until = performance.now() + 5;
        while (performance.now() < until) {
          // busy: a synchronous slot cannot be interrupted, only reported
        }
        return 'late';
      }),
    );
    expect(slow.value).toBe('late');
    expect(slow.run.ok).toBe(true);
    expect(slow.run.error).toMatch(/^took [\d.]+ ms, over its 1 ms budget$/);
  });

  it('keeps a failing summary from failing the slot', () => {
    const { runner } = setup();
    const r = runner.run(
      call(() => 1, {
        summarize: () => {
          throw new Error('no words');
        },
      }),
    );
    expect(r.run).toMatchObject({ ok: true, summary: 'no summary (no words)' });
  });

  it('recomputes every call in traditional mode and never touches the cache', () => {
    const { runner, cache } = setup('traditional');
    let calls = 0;
    for (let i = 0; i < 3; i++) expect(runner.run(call(() => ++calls)).run.fromCache).toBe(false);
    expect(calls).toBe(3);
    expect(cache.stats().totals.lookups).toBe(0);
  });

  it('lets a slot read what another stored (peek), by the same key it was stored under', () => {
    const { runner } = setup();
    const stored = runner.run(call(() => ({ atr: 2.5 }), { slot: 'internlm2', params: { kind: 'indicators' } }));
    expect(stored.key).toEqual(expect.any(String));
    expect(runner.peek('internlm2', { kind: 'indicators' }, 'bars-1')).toEqual({ atr: 2.5 });
    expect(runner.peek('internlm2', { kind: 'indicators' }, 'bars-2')).toBeUndefined();
  });
});

describe('withTimeout', () => {
  it('passes a prompt result and error through', async () => {
    await expect(withTimeout(Promise.resolve(7), 100, 'x')).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('boom')), 100, 'x')).rejects.toThrow('boom');
  });

  it('stops waiting for work that does not answer, with a TIMEOUT naming it', async () => {
    const never = new Promise<number>(() => {});
    const error = await withTimeout(never, 20, 'The DQN policy').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: 'The DQN policy did not answer within 20 ms' });
  });
});
