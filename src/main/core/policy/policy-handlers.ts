import type { DoctorCheck } from '../../../shared/contract/app';
import type { PolicyMethodArgs, PolicyMethodName, PolicyMethodOutput } from '../../../shared/contract/policy';
import type { PolicyStatus } from '../../../shared/domain/policy';
import type { CallContext } from '../handlers';
import type { PolicyService } from './policy-service';

/** One handler per policy method, typed by the policy contract. */
export type PolicyHandlers = {
  [M in PolicyMethodName]: (
    args: PolicyMethodArgs<M>,
    ctx: CallContext,
  ) => PolicyMethodOutput<M> | Promise<PolicyMethodOutput<M>>;
};

/**
 * The policy commands over a started {@link PolicyService}. `policy.actions` and `policy.evaluate` answer
 * UNAVAILABLE with the reason when no model could be loaded; everything else keeps working.
 */
export function policyHandlers(service: PolicyService): PolicyHandlers {
  return {
    'policy.status': () => service.status(),
    'policy.actions': (args) =>
      service.actions({
        symbols: args?.symbols,
        timeframe: args?.timeframe ?? '1d',
        positions: args?.positions,
      }),
    'policy.train': (args) => service.train(args),
    'policy.cancelTraining': (args) => service.cancelTraining(args?.taskId),
    'policy.evaluate': (args) =>
      service.evaluate({
        source: args?.source ?? 'synthetic',
        symbols: args?.symbols,
        timeframe: args?.timeframe ?? '1d',
      }),
    'policy.reload': (args) => service.reload(args?.useDefault ?? false),
  };
}

/** The line `doctor` shows for the policy: model, version and execution provider, or why there is none. */
export function policyDoctorCheck(status: PolicyStatus): DoctorCheck {
  if (!status.available) {
    return {
      name: 'Trading policy',
      status: 'warn',
      detail: `not available (${status.error ?? 'no model'}); the desk works without it`,
    };
  }
  const fallback = status.warnings.length > 0 ? `; ${status.warnings.join('; ')}` : '';
  // Falling back from an accelerator to the CPU is normal on most machines; a model problem is worth a warning.
  const modelProblem = status.warnings.some((w) => !w.startsWith('Execution provider'));
  return {
    name: 'Trading policy',
    status: modelProblem ? 'warn' : 'ok',
    detail: `${status.version} (${status.origin}) on ${status.provider}, ${status.modelFile}${fallback}`,
  };
}
