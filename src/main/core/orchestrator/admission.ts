/**
 * SLO-aware admission for the engine's decision work, after Mooncake's early rejection: a job whose predicted
 * completion would miss its deadline is refused or deferred *before* it costs anything, so that under overload the
 * engine keeps answering the trader instead of building a backlog of stale per-bar decisions.
 *
 * Priorities: `user` (typed or spoken queries, orders) always runs, first; `decode` (the per-bar decision path)
 * is coalesced per key (only the newest bar of a symbol matters) and deferred when it would miss the SLO;
 * `background` (re-analysis, warm-ups) is rejected when it would miss.
 */

export type Priority = 'user' | 'decode' | 'background';

export interface AdmissionConfig {
  /** The decision SLO: a job should finish within this long of being submitted. */
  sloMs: number;
  /** Most deferred decode jobs kept; beyond it the oldest are rejected. */
  maxDeferred: number;
  /** Wall clock for latency measurement (injected in tests). */
  now: () => number;
}

export interface AdmissionStats {
  sloMs: number;
  submitted: Record<Priority, number>;
  completed: Record<Priority, number>;
  rejected: Record<Priority, number>;
  deferred: number;
  coalesced: number;
  /** Jobs that finished after their deadline. */
  missed: Record<Priority, number>;
  queued: number;
  /** Current latency estimate per job kind, ms. */
  estimatesMs: Record<string, number>;
}

interface Job {
  kind: string;
  priority: Priority;
  key?: string;
  submittedAt: number;
  deadline: number;
  run: () => unknown;
  resolve: (outcome: JobOutcome<unknown>) => void;
}

export type JobOutcome<T> =
  | { status: 'done'; value: T; latencyMs: number }
  | { status: 'failed'; error: unknown; latencyMs: number }
  | { status: 'rejected'; reason: 'slo' | 'overflow' | 'superseded' };

const PRIORITY_ORDER: Priority[] = ['user', 'decode', 'background'];

/** A serial, priority-ordered work queue with latency prediction and early rejection. */
export class AdmissionController {
  private readonly queues: Record<Priority, Job[]> = { user: [], decode: [], background: [] };
  private readonly deferred: Job[] = [];
  private readonly estimates = new Map<string, number>();
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  private readonly counters = {
    submitted: { user: 0, decode: 0, background: 0 },
    completed: { user: 0, decode: 0, background: 0 },
    rejected: { user: 0, decode: 0, background: 0 },
    missed: { user: 0, decode: 0, background: 0 },
    deferred: 0,
    coalesced: 0,
  };

  constructor(
    private readonly config: AdmissionConfig,
    /** How the queue yields between jobs (setImmediate in the engine; a synchronous loop in tests). */
    private readonly schedule: (fn: () => void) => void = (fn) => setImmediate(fn),
  ) {}

  /** The EWMA latency estimate of a kind of job (ms); unknown kinds start at a conservative guess. */
  estimate(kind: string): number {
    return this.estimates.get(kind) ?? 1;
  }

  /** Predicted wait before a new job of this priority would start: everything ahead of it in the queue. */
  predictedWaitMs(priority: Priority): number {
    let wait = 0;
    for (const p of PRIORITY_ORDER) {
      for (const job of this.queues[p]) wait += this.estimate(job.kind);
      if (p === priority) break;
    }
    return wait;
  }

  submit<T>(kind: string, priority: Priority, run: () => T | Promise<T>, key?: string): Promise<JobOutcome<T>> {
    this.counters.submitted[priority]++;
    const now = this.config.now();
    return new Promise((resolve) => {
      const job: Job = {
        kind,
        priority,
        key,
        submittedAt: now,
        deadline: now + this.config.sloMs,
        run,
        resolve: resolve as (o: JobOutcome<unknown>) => void,
      };
      if (key !== undefined && priority !== 'user') {
        // Only the newest decision per symbol matters: a queued older one is superseded.
        for (const list of [this.queues[priority], this.deferred]) {
          const index = list.findIndex((j) => j.key === key && j.kind === kind);
          if (index >= 0) {
            const [old] = list.splice(index, 1);
            this.counters.coalesced++;
            old?.resolve({ status: 'rejected', reason: 'superseded' });
          }
        }
      }
      const predictedEnd = now + this.predictedWaitMs(priority) + this.estimate(kind);
      if (priority !== 'user' && predictedEnd > job.deadline) {
        if (priority === 'background') {
          this.counters.rejected.background++;
          resolve({ status: 'rejected', reason: 'slo' });
          return;
        }
        this.counters.deferred++;
        this.deferred.push(job);
        while (this.deferred.length > this.config.maxDeferred) {
          const dropped = this.deferred.shift();
          this.counters.rejected.decode++;
          dropped?.resolve({ status: 'rejected', reason: 'overflow' });
        }
      } else {
        this.queues[priority].push(job);
      }
      this.kick();
    });
  }

  /** Resolves once nothing is queued or running (benchmarks and tests wait for the decode path with it). */
  whenIdle(): Promise<void> {
    if (!this.draining && this.queued() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private queued(): number {
    return PRIORITY_ORDER.reduce((n, p) => n + this.queues[p].length, 0) + this.deferred.length;
  }

  stats(): AdmissionStats {
    return {
      sloMs: this.config.sloMs,
      submitted: { ...this.counters.submitted },
      completed: { ...this.counters.completed },
      rejected: { ...this.counters.rejected },
      missed: { ...this.counters.missed },
      deferred: this.counters.deferred,
      coalesced: this.counters.coalesced,
      queued: this.queued(),
      estimatesMs: Object.fromEntries(this.estimates),
    };
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = true;
    this.schedule(() => void this.drain());
  }

  private nextJob(): Job | undefined {
    for (const p of PRIORITY_ORDER) {
      const job = this.queues[p].shift();
      if (job) return job;
    }
    // Deferred decode work runs when nothing else waits, with a fresh deadline.
    const job = this.deferred.shift();
    if (job) job.deadline = this.config.now() + this.config.sloMs;
    return job;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const job = this.nextJob();
      if (!job) break;
      const started = this.config.now();
      let outcome: JobOutcome<unknown>;
      try {
        const value = await job.run();
        outcome = { status: 'done', value, latencyMs: this.config.now() - job.submittedAt };
      } catch (error) {
        outcome = { status: 'failed', error, latencyMs: this.config.now() - job.submittedAt };
      }
      const ran = this.config.now() - started;
      const previous = this.estimates.get(job.kind);
      this.estimates.set(job.kind, previous === undefined ? ran : previous * 0.8 + ran * 0.2);
      this.counters.completed[job.priority]++;
      if (this.config.now() > job.deadline) this.counters.missed[job.priority]++;
      job.resolve(outcome);
    }
    this.draining = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
