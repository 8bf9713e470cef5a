import { FEATURE_SPEC } from './features';
import { stateFingerprint } from './policy-runtime';
import { decisionCacheKey, type QValueCache } from './q-value-cache';

/** What computes Q-values for a flat batch of states (the ONNX runtime). */
export interface QModel {
  readonly version: string;
  qValuesFlat(states: Float32Array, rows: number): Promise<Float32Array>;
}

/**
 * Q-values for a batch of states through the cache: each state's key is the model version and its fingerprint; the
 * misses go to the model together, in one run, and are stored. This is the desk's decision path.
 */
export async function cachedQValues(
  model: QModel,
  cache: QValueCache,
  states: readonly Float32Array[],
): Promise<{ qValues: number[][]; cached: boolean[] }> {
  const D = FEATURE_SPEC.stateSize;
  const qValues: number[][] = new Array(states.length);
  const cached: boolean[] = new Array(states.length).fill(false);
  const misses: { index: number; key: string }[] = [];
  states.forEach((state, index) => {
    const key = decisionCacheKey(model.version, stateFingerprint(state));
    const hit = cache.get(key);
    if (hit) {
      qValues[index] = [...hit];
      cached[index] = true;
    } else {
      misses.push({ index, key });
    }
  });
  if (misses.length > 0) {
    const flat = new Float32Array(misses.length * D);
    misses.forEach((m, i) => {
      flat.set(states[m.index] as Float32Array, i * D);
    });
    const q = await model.qValuesFlat(flat, misses.length);
    misses.forEach((m, i) => {
      const values = [q[i * 3] as number, q[i * 3 + 1] as number, q[i * 3 + 2] as number];
      cache.set(m.key, values);
      qValues[m.index] = values;
    });
  }
  return { qValues, cached };
}
