import type { DoctorCheck } from '../../../shared/contract/app';
import type { PolicyMethodArgs, PolicyMethodName, PolicyMethodOutput } from '../../../shared/contract/policy';
import type { PolicyStatus } from '../../../shared/domain/policy';
import type { CallContext } from '../handlers';
import { isProviderNote } from './policy-runtime';
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

/**
 * The line `doctor` shows for the policy: model, version and execution provider, and every provider note (which
 * providers were not tried or failed, and why), or why there is no model. `warn` only when there is no model or a
 * model failed to load; provider notes alone leave a working policy `ok`.
 */
export function policyDoctorCheck(status: PolicyStatus): DoctorCheck {
  if (!status.available) {
    return {
      name: 'Trading policy',
      status: 'warn',
      detail: `not available (${status.error ?? 'no model'}); the desk works without it`,
    };
  }
  const fallback = status.warnings.length > 0 ? `; ${status.warnings.join('; ')}` : '';
  // Running on the CPU is normal on most machines: a provider not tried or fallen back from is said, not warned
  // about. Anything else (a retrained model that failed to load, say) is a problem with the model.
  const modelProblem = status.warnings.some((w) => !isProviderNote(w));
  return {
    name: 'Trading policy',
    status: modelProblem ? 'warn' : 'ok',
    detail: `${status.version} (${status.origin}) on ${status.provider}, ${status.modelFile}${fallback}`,
  };
}
