import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result';
import { createDispatcher } from './dispatch';
import type { Handlers } from './handlers';
import { cleanupTempDirs, createTestEngine } from './testing/fixtures';

afterEach(cleanupTempDirs);

describe('dispatcher', () => {
  it('refuses a method that is not in the contract', async () => {
    const { dispatch, engine } = createTestEngine();
    const result = await dispatch('app.rmrf', {}, { origin: 'test' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: expect.stringContaining('app.rmrf') },
    });
    expect((await dispatch(42, {}, { origin: 'test' })).ok).toBe(false);
    await engine.close();
  });

  it('parses input with the schema and names the bad field', async () => {
    const { dispatch, engine } = createTestEngine();
    const result = await dispatch('settings.get', { key: 'no.such.setting' }, { origin: 'test' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('BAD_INPUT');
    expect(result.error.message).toMatch(/^settings\.get: key:/);
    const extra = await dispatch('app.info', { surprise: true }, { origin: 'test' });
    expect(extra.ok).toBe(false);
    await engine.close();
  });

  it('maps AppError to its code and anything else to INTERNAL, never throwing', async () => {
    const { engine } = createTestEngine();
    const handlers = {
      ...engine.handlers,
      'app.info': () => {
        throw new AppError('UNAVAILABLE', 'no info today');
      },
      'app.doctor': () => {
        throw new TypeError('boom');
      },
      'settings.list': () => 'not a record' as never,
    } as Handlers;
    const dispatch = createDispatcher(handlers, { validateOutputs: true });
    expect(await dispatch('app.info', undefined, { origin: 'test' })).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'no info today' },
    });
    expect(await dispatch('app.doctor', {}, { origin: 'test' })).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'boom' },
    });
    const invalid = await dispatch('settings.list', {}, { origin: 'test' });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(invalid.error.code).toBe('INTERNAL');
    await engine.close();
  });
});
