import { z } from 'zod';

/** Progress of a long task (import, backtest, training, backfill), pushed as the onProgress event. */
export const progressSchema = z.object({
  taskId: z.string(),
  kind: z.enum(['import', 'backtest', 'train', 'backfill', 'evaluate']),
  label: z.string(),
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  /** What `done` and `total` count: "rows", "bars", "episodes". */
  unit: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  message: z.string().optional(),
});
export type Progress = z.infer<typeof progressSchema>;

/** What long-running work calls to report; cheap to call often (callers throttle). */
export type ProgressSink = (done: number, total: number) => void;
