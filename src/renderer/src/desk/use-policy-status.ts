import { useEffect, useState } from 'react';
import type { PolicyStatus } from '../../../shared/domain/policy';
import { api } from '../api';

/** The DQN policy's status: fetched once, then replaced by every `onPolicyChanged` (retrained, reloaded, failed). */
export function usePolicyStatus(): { status: PolicyStatus | null; error: string | null; reload: () => void } {
  const [status, setStatus] = useState<PolicyStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => api.events.onPolicyChanged((s) => setStatus(s)), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is the trigger
  useEffect(() => {
    let live = true;
    api.policy.status().then((result) => {
      if (!live) return;
      if (result.ok) {
        setStatus(result.value);
        setError(null);
      } else {
        setError(result.error.message);
      }
    });
    return () => {
      live = false;
    };
  }, [tick]);

  return { status, error, reload: () => setTick((t) => t + 1) };
}
