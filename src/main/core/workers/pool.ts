import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../../shared/result';
import type { FromWorker, ToWorker } from './protocol';
import type { TaskInput, TaskName, TaskOutput } from './tasks';

export interface RunOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Queued {
  start: (slot: Slot) => void;
}

/**
 * Where the worker entry is: the built bundle next to the main bundles, or the TypeScript source run through tsx
 * (vitest, `npm run cli`).
 */
export function resolveWorkerEntry(): { file: string; execArgv: string[] } {
  const built = [path.join(__dirname, 'worker.js'), path.join(__dirname, '..', 'worker.js')].find((f) =>
    fs.existsSync(f),
  );
  if (built && !__filename.endsWith('.ts')) return { file: built, execArgv: [] };
  const source = path.join(__dirname, 'worker-main.ts');
  return { file: source, execArgv: ['--require', require.resolve('tsx/cjs')] };
}

/**
 * The "prefill" pool: heavy, batchable work (imports, backfills, training) runs here so the engine's event loop
 * keeps serving the desk. Workers start lazily and stay warm; a cancelled task's worker is replaced.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private closed = false;

  constructor(readonly size = Math.max(1, Math.min(4, os.availableParallelism() - 1))) {}

  run<N extends TaskName>(task: N, input: TaskInput<N>, options: RunOptions = {}): Promise<TaskOutput<N>> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'The worker pool is closed'));
    if (options.signal?.aborted) return Promise.reject(new AppError('CANCELLED', 'Cancelled before it started'));
    return new Promise((resolve, reject) => {
      const start = (slot: Slot) => {
        slot.busy = true;
        const cancelFlag = new SharedArrayBuffer(4);
        const flag = new Int32Array(cancelFlag);
        const onAbort = () => Atomics.store(flag, 0, 1);
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const cleanup = () => {
          slot.worker.off('message', onMessage);
          slot.worker.off('error', onError);
          slot.worker.off('exit', onExit);
          options.signal?.removeEventListener('abort', onAbort);
          slot.busy = false;
          this.next();
        };
        const onMessage = (message: FromWorker) => {
          if (message.type === 'progress') {
            options.onProgress?.(message.done, message.total);
          } else if (message.type === 'result') {
            cleanup();
            resolve(message.value as TaskOutput<N>);
          } else {
            cleanup();
            reject(new AppError(message.code as ErrorCode, message.message, message.details));
          }
        };
        const onError = (error: Error) => {
          this.replace(slot);
          cleanup();
          reject(new AppError('INTERNAL', `Worker task ${task} crashed: ${error.message}`));
        };
        const onExit = (code: number) => {
          this.replace(slot);
          cleanup();
          reject(new AppError('INTERNAL', `Worker for ${task} exited with code ${code}`));
        };
        slot.worker.on('message', onMessage);
        slot.worker.once('error', onError);
        slot.worker.once('exit', onExit);
        slot.worker.postMessage({ type: 'run', task, input, cancelFlag } satisfies ToWorker);
      };
      this.queue.push({ start });
      this.next();
    });
  }

  /** Stops every worker; queued and running tasks fail with UNAVAILABLE. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.splice(0);
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private next(): void {
    if (this.queue.length === 0 || this.closed) return;
    let slot = this.slots.find((s) => !s.busy);
    if (!slot && this.slots.length < this.size) {
      slot = { worker: this.spawn(), busy: false };
      this.slots.push(slot);
    }
    if (!slot) return;
    this.queue.shift()?.start(slot);
  }

  private spawn(): Worker {
    const entry = resolveWorkerEntry();
    const worker = new Worker(entry.file, { execArgv: entry.execArgv });
    worker.unref();
    return worker;
  }

  private replace(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    void slot.worker.terminate();
  }
}
