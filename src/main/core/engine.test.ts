import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../shared/client';
import type { EventPayload } from '../../shared/contract';
import { methodNames } from '../../shared/contract';
import { cacheKey } from './cache/cache-key';
import { latestSchemaVersion } from './db/migrations';
import { slotCatalog } from './orchestrator/slot-catalog';
import { cleanupTempDirs, createTestEngine } from './testing/fixtures';

afterEach(cleanupTempDirs);

/** The in-process transport: the same client object the preload and the browser twin build. */
function inProcessApi(engine: ReturnType<typeof createTestEngine>['engine']) {
  return createApiClient({
    invoke: (method, input) => engine.dispatch(method, input, { origin: 'test' }),
    subscribe: (event, listener) => engine.events.on(event as 'onSettingsChanged', listener),
  });
}

describe('engine', () => {
  it('has a command for every method of the contract', () => {
    const { engine } = createTestEngine();
    expect(Object.keys(engine.handlers).sort()).toEqual([...methodNames].sort());
    void engine.close();
  });

  it('answers app.info with version, mode and data folder', async () => {
    const { engine, dataDir } = createTestEngine();
    const api = inProcessApi(engine);
    const info = await api.app.info();
    expect(info).toMatchObject({
      ok: true,
      value: { version: '0.0.0-test', mode: 'test', dataDir, schemaVersion: latestSchemaVersion() },
    });
    await engine.close();
  });

  it('stores settings, emits the change, and audits it', async () => {
    const { engine } = createTestEngine();
    const api = inProcessApi(engine);
    const seen: EventPayload<'onSettingsChanged'>[] = [];
    const stop = api.events.onSettingsChanged((p) => seen.push(p));
    expect(await api.settings.set({ key: 'broker.startingCashCents', value: 2_500_000 })).toEqual({
      ok: true,
      value: { key: 'broker.startingCashCents', value: 2_500_000 },
    });
    stop();
    await api.settings.set({ key: 'broker.startingCashCents', value: 3_000_000 });
    expect(seen).toEqual([{ key: 'broker.startingCashCents', value: 2_500_000 }]);
    const audit = engine.db.prepare('SELECT actor, action, detail_json FROM audit_log ORDER BY id').all();
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor: 'test', action: 'settings.set' });
    const list = await api.settings.list();
    expect(list.ok && list.value['broker.startingCashCents']).toBe(3_000_000);
    await engine.close();
  });

  it("drops a slot's entries of an older model version at start-up, and keeps the current version's", async () => {
    const first = createTestEngine();
    const old = { slot: 'moonshot', modelVersion: '0.0.1-old', params: { kind: 'scan' }, inputFingerprint: 'bars-x' };
    const current = { ...old, modelVersion: slotCatalog.moonshot.version };
    for (const spec of [old, current]) {
      first.engine.cache.put(cacheKey(spec), { hits: [] }, { namespace: 'pattern', ttlClass: 'default', ...spec });
    }
    await first.engine.close();
    const second = createTestEngine({ dataDir: first.dataDir });
    expect(second.engine.cache.find({ ...old, namespace: 'pattern' })).toBeUndefined();
    expect(second.engine.cache.find({ ...current, namespace: 'pattern' })).toEqual({ hits: [] });
    await second.engine.close();
  });

  it('reports the doctor checks honestly', async () => {
    const { engine } = createTestEngine();
    const report = await inProcessApi(engine).app.doctor();
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    const names = report.value.checks.map((c) => c.name);
    expect(names.slice(0, 5)).toEqual(['Node.js', 'Electron binary', 'SQLite', 'Data directory', 'Trading policy']);
    expect(names.some((n) => /recorder|microphone|voice/i.test(n))).toBe(true);
    expect(report.value.tools.map((t) => t.name)).toEqual([
      'chromium',
      'sox',
      'arecord',
      'pocketsphinx',
      'espeak-ng',
      'festival',
      'flite',
      'pulseaudio',
    ]);
    await engine.close();
  });
});
