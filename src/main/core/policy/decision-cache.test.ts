import { afterEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain/market';
import { policyActions } from '../../../shared/domain/policy';
import { cacheKey } from '../cache/cache-key';
import { cleanupTempDirs, createTestEngine } from '../testing/fixtures';
import { barAt } from './bar-series';
import { FEATURE_SPEC, FeatureStream } from './features';
import { stateFingerprint } from './policy-runtime';
import { decisionCacheKey } from './q-value-cache';
import { randomWalkSeries } from './testing/random-walk';

afterEach(cleanupTempDirs);

/** The state `PolicyService.actions` builds from `bars` holding `position`: the last 8 feature rows, then the one-hot. */
function stateOf(bars: readonly Bar[], position: (typeof policyActions)[number]): Float32Array {
  const stream = new FeatureStream('1d');
  const rows: Float32Array[] = [];
  for (const bar of bars) {
    const row = stream.push(bar);
    if (row) rows.push(row);
  }
  const state = new Float32Array(FEATURE_SPEC.stateSize);
  rows.slice(-FEATURE_SPEC.window).forEach((row, i) => {
    state.set(row, i * row.length);
  });
  state[FEATURE_SPEC.stateSize - 3 + policyActions.indexOf(position)] = 1;
  return state;
}

/** The pattern-cache key the engine's adapter is expected to use for one decision's Q-values. */
function expectedKey(version: string, fingerprint: string): string {
  return cacheKey({
    slot: 'policy',
    modelVersion: version,
    params: { kind: 'q-values' },
    inputFingerprint: fingerprint,
  });
}

describe("the engine's Q-value cache (pattern cache, decision namespace)", () => {
  it('stores Q-values under the model version and state fingerprint, and the second lookup hits', async () => {
    const { engine } = createTestEngine();
    try {
      // The shipped model, on a real onnxruntime session.
      const status = await engine.dispatch('policy.status', undefined, { origin: 'test' });
      expect(status).toMatchObject({ ok: true, value: { available: true } });
      const version = engine.policy.requireRuntime().version;
      const walk = randomWalkSeries({ bars: 300, seed: 5, symbol: 'QQQ' });
      const bars = Array.from({ length: walk.t.length }, (_, i) => barAt(walk, i));

      const first = await engine.policy.actions({ symbols: ['QQQ'], positions: { QQQ: 'long' }, bars: () => bars });
      const second = await engine.policy.actions({ symbols: ['QQQ'], positions: { QQQ: 'long' }, bars: () => bars });
      const [d1] = first.decisions;
      const [d2] = second.decisions;
      expect(d1?.cached).toBe(false);
      expect(d2?.cached).toBe(true);
      expect(d2?.qValues).toEqual(d1?.qValues);
      expect(d1?.qValues).toHaveLength(3);

      // The entry: in the pattern cache, namespace "decision", slot "policy", tagged with the model version, under a
      // key made of the model version and the fingerprint of the exact state.
      const fingerprint = stateFingerprint(stateOf(bars, 'long'));
      const key = expectedKey(version, fingerprint);
      const hit = engine.cache.lookup<number[]>(key);
      expect(hit?.value).toEqual(d1?.qValues);
      expect(hit?.meta).toMatchObject({ namespace: 'decision', slot: 'policy', modelVersion: version });
      // The adapter answers the policy's own key (`policy:<version>:<fingerprint>`) from that entry.
      expect(engine.policy.cache.get(decisionCacheKey(version, fingerprint))).toEqual(d1?.qValues);
      // Another position is another state: its own entry, a miss first.
      const flat = await engine.policy.actions({ symbols: ['QQQ'], positions: { QQQ: 'flat' }, bars: () => bars });
      expect(flat.decisions[0]?.cached).toBe(false);
      expect(engine.cache.lookup(expectedKey(version, stateFingerprint(stateOf(bars, 'flat'))))).not.toBeNull();
      // Another model version never sees these entries.
      expect(engine.policy.cache.get(decisionCacheKey('dqn-features-v1-000000000000', fingerprint))).toBeUndefined();

      const decision = engine.cache.stats().namespaces.find((n) => n.name === 'decision');
      expect(decision?.hits).toBeGreaterThanOrEqual(2);
      // Persisted to the SQLite tier with the same namespace and version.
      engine.cache.flush();
      const row = engine.db
        .prepare('SELECT namespace, slot, model_version FROM cache_entries WHERE key = ?')
        .get(key) as { namespace: string; slot: string; model_version: string } | undefined;
      expect(row).toEqual({ namespace: 'decision', slot: 'policy', model_version: version });
    } finally {
      await engine.close();
    }
  });
});
