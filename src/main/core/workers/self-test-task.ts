import { AppError } from '../../../shared/result';
import type { Task } from './protocol';

/**
 * Counts to `n` in chunks, reporting progress and honouring cancellation; fails on request. Used by the pool's
 * tests and by `doctor` to prove workers start in this runtime.
 */
export const selfTestTask: Task<{ n: number; failWith?: string; spinMs?: number }, { sum: number }> = async (
  input,
  ctx,
) => {
  if (input.failWith) throw new AppError('REJECTED', input.failWith);
  let sum = 0;
  for (let i = 1; i <= input.n; i++) {
    sum += i;
    if (i % 1000 === 0) {
      ctx.progress(i, input.n);
      if (ctx.cancelled()) throw new AppError('CANCELLED', 'cancelled');
      if (input.spinMs) {
        const until = Date.now() + input.spinMs;
        while (Date.now() < until) {
          // busy work standing in for a heavy chunk
        }
      }
    }
  }
  ctx.progress(input.n, input.n);
  return { sum };
};
