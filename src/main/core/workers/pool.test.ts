import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result';
import { WorkerPool } from './pool';

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
});

describe('worker pool', () => {
  it('runs a task in a worker thread with progress', async () => {
    pool = new WorkerPool(1);
    const progress: number[] = [];
    const result = await pool.run('self-test', { n: 10_000 }, { onProgress: (done) => progress.push(done) });
    expect(result).toEqual({ sum: 50_005_000 });
    expect(progress.at(-1)).toBe(10_000);
    expect(progress.length).toBeGreaterThanOrEqual(10);
  });

  it('carries the error code of a failed task', async () => {
    pool = new WorkerPool(1);
    const failure = pool.run('self-test', { n: 10, failWith: 'no such file' });
    await expect(failure).rejects.toBeInstanceOf(AppError);
    await expect(failure).rejects.toMatchObject({ code: 'REJECTED', message: 'no such file' });
    // the worker is still usable
    expect(await pool.run('self-test', { n: 3 })).toEqual({ sum: 6 });
  });

  it('cancels cooperatively', async () => {
    pool = new WorkerPool(1);
    const controller = new AbortController();
    const running = pool.run(
      'self-test',
      { n: 1_000_000, spinMs: 5 },
      { signal: controller.signal, onProgress: (done) => done >= 3000 && controller.abort() },
    );
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('queues more tasks than workers', async () => {
    pool = new WorkerPool(2);
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => pool?.run('self-test', { n: n * 1000 })));
    expect(results.map((r) => r?.sum)).toEqual([1, 2, 3, 4, 5].map((k) => (k * 1000 * (k * 1000 + 1)) / 2));
  });
});
