/**
 * The entry of every worker thread: runs one registered task per message and reports progress, the result or the
 * error. Built as its own bundle (out/main/worker.js); run from source through tsx in tests and the CLI.
 */
import { parentPort } from 'node:worker_threads';
import { toApiError } from '../../../shared/result';
import type { FromWorker, TaskContext, ToWorker } from './protocol';
import { tasks } from './tasks';

const port = parentPort;
if (!port) throw new Error('worker-main.ts must run in a worker thread');

port.on('message', async (message: ToWorker) => {
  if (message.type !== 'run') return;
  const post = (m: FromWorker) => port.postMessage(m);
  const flag = new Int32Array(message.cancelFlag);
  const ctx: TaskContext = {
    progress: (done, total) => post({ type: 'progress', done, total }),
    cancelled: () => Atomics.load(flag, 0) === 1,
  };
  const task = (tasks as Record<string, (input: unknown, ctx: TaskContext) => unknown>)[message.task];
  try {
    if (!task) throw new Error(`No worker task is called ${message.task}`);
    post({ type: 'result', value: await task(message.input, ctx) });
  } catch (e) {
    const error = toApiError(e);
    post({ type: 'error', ...error });
  }
});
