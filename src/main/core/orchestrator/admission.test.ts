import { describe, expect, it } from 'vitest';
import { AdmissionController } from './admission';

/** A manual clock: jobs "take" time by advancing it. */
function setup(sloMs = 8) {
  let now = 0;
  const tasks: (() => void)[] = [];
  const controller = new AdmissionController({ sloMs, maxDeferred: 3, now: () => now }, (fn) => tasks.push(fn));
  const work = (ms: number, value: string) => () => {
    now += ms;
    return value;
  };
  const flush = async () => {
    while (tasks.length) {
      tasks.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  return { controller, work, flush, advance: (ms: number) => (now += ms) };
}

describe('admission control', () => {
  it('runs user work first and always', async () => {
    const { controller, work, flush } = setup();
    const order: string[] = [];
    const track = (ms: number, name: string) => () => {
      order.push(name);
      return work(ms, name)();
    };
    const a = controller.submit('decision', 'decode', track(1, 'decode-1'), 'AAPL');
    const b = controller.submit('query', 'user', track(20, 'user-1'));
    const c = controller.submit('query', 'user', track(20, 'user-2'));
    await flush();
    expect(order[0]).toBe('user-1');
    expect(order).toContain('user-2');
    expect((await b).status).toBe('done');
    expect((await c).status).toBe('done');
    expect((await a).status).toBe('done');
  });

  it('learns latencies and rejects background work predicted to miss the SLO', async () => {
    const { controller, work, flush } = setup(8);
    const warm = controller.submit('scan', 'background', work(6, 'x'));
    await flush();
    await warm;
    expect(controller.estimate('scan')).toBe(6);
    const first = controller.submit('scan', 'background', work(6, 'y'));
    const second = controller.submit('scan', 'background', work(6, 'z'));
    await flush();
    expect((await first).status).toBe('done');
    expect(await second).toEqual({ status: 'rejected', reason: 'slo' });
    expect(controller.stats().rejected.background).toBe(1);
  });

  it('coalesces decode work per symbol: only the newest bar is decided', async () => {
    const { controller, work, flush } = setup();
    const decided: string[] = [];
    const job = (name: string) => () => {
      decided.push(name);
      return work(1, name)();
    };
    const old = controller.submit('decision', 'decode', job('AAPL@1'), 'AAPL');
    const other = controller.submit('decision', 'decode', job('MSFT@1'), 'MSFT');
    const newer = controller.submit('decision', 'decode', job('AAPL@2'), 'AAPL');
    await flush();
    expect(await old).toEqual({ status: 'rejected', reason: 'superseded' });
    expect((await other).status).toBe('done');
    expect((await newer).status).toBe('done');
    expect(decided).toEqual(['MSFT@1', 'AAPL@2']);
    expect(controller.stats().coalesced).toBe(1);
  });

  it('defers decode work under overload and bounds the deferred list', async () => {
    const { controller, work, flush } = setup(8);
    const warm = controller.submit('decision', 'decode', work(5, 'warm'), 'W');
    await flush();
    await warm;
    // With a 5 ms estimate, the second queued decision would finish at 10 ms > 8 ms: deferred, not dropped.
    const outcomes = ['A', 'B', 'C', 'D', 'E', 'F'].map((s) => controller.submit('decision', 'decode', work(5, s), s));
    await flush();
    const settled = await Promise.all(outcomes);
    const stats = controller.stats();
    expect(stats.deferred).toBeGreaterThan(0);
    expect(settled.filter((o) => o.status === 'rejected' && o.reason === 'overflow').length).toBe(
      stats.rejected.decode,
    );
    expect(settled.filter((o) => o.status === 'done').length + stats.rejected.decode).toBe(6);
  });

  it('reports failures without stopping the queue', async () => {
    const { controller, flush } = setup();
    const bad = controller.submit('q', 'user', () => {
      throw new Error('slot crashed');
    });
    const good = controller.submit('q', 'user', () => 42);
    await flush();
    expect((await bad).status).toBe('failed');
    expect(await good).toMatchObject({ status: 'done', value: 42 });
  });
});
