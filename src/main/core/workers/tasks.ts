/**
 * The registry of tasks that run in worker threads. Each domain adds its tasks here; the worker entry and the pool
 * are shared. Inputs and outputs must be structured-cloneable (plain objects, arrays, typed arrays).
 */
import { marketImportTask } from '../market/import/import-task';
import { prefillTask } from '../orchestrator/prefill-task';
import { policyTrainTask } from '../policy/train-task';
import type { Task } from './protocol';
import { selfTestTask } from './self-test-task';

export const tasks = {
  'self-test': selfTestTask,
  'market.import': marketImportTask,
  'policy.train': policyTrainTask,
  'engine.prefill': prefillTask,
} satisfies Record<string, Task<never, unknown>>;

export type TaskName = keyof typeof tasks;
export type TaskInput<N extends TaskName> = Parameters<(typeof tasks)[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof tasks)[N]>>;
