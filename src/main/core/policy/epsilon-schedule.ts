/** Exploration rate over training: linear from `start` to `end` across `decaySteps` environment steps, then flat. */
export interface EpsilonSchedule {
  start: number;
  end: number;
  decaySteps: number;
}

/** Epsilon at environment step `step` (0-based). */
export function epsilonAt(schedule: EpsilonSchedule, step: number): number {
  if (schedule.decaySteps <= 0 || step >= schedule.decaySteps) return schedule.end;
  const fraction = Math.max(0, step) / schedule.decaySteps;
  return schedule.start + (schedule.end - schedule.start) * fraction;
}
