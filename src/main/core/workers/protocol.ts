/** Messages between the engine and its worker threads. */

export type ToWorker = { type: 'run'; task: string; input: unknown; cancelFlag: SharedArrayBuffer };

export type FromWorker =
  | { type: 'progress'; done: number; total: number }
  | { type: 'result'; value: unknown }
  | { type: 'error'; code: string; message: string; details?: unknown };

/** What a task running in a worker can use: progress reporting and cooperative cancellation. */
export interface TaskContext {
  /** Reports progress to the caller (throttle in hot loops: every few thousand items is plenty). */
  progress(done: number, total: number): void;
  /** True once the caller asked to cancel; long loops check it between chunks and throw CancelledError. */
  cancelled(): boolean;
}

/** A unit of heavy work ("prefill"): pure input to output, run in a worker thread. */
export type Task<I, O> = (input: I, ctx: TaskContext) => O | Promise<O>;
