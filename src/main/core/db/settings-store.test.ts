import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result';
import { cleanupTempDirs, makeTempDir } from '../testing/fixtures';
import { openDatabase } from './database';
import { SettingsStore } from './settings-store';

afterEach(cleanupTempDirs);

describe('SettingsStore', () => {
  it('returns defaults, stores typed values and survives reopening', () => {
    const file = path.join(makeTempDir(), 'swaggy.db');
    const db = openDatabase(file);
    const store = new SettingsStore(db);
    expect(store.get('broker.startingCashCents')).toBe(10_000_000);
    expect(store.set('watchlist', [' tsla', 'brk.b'], 1)).toEqual(['TSLA', 'BRK.B']);
    db.close();
    const reopened = new SettingsStore(openDatabase(file));
    expect(reopened.get('watchlist')).toEqual(['TSLA', 'BRK.B']);
    expect(reopened.all()).toMatchObject({ watchlist: ['TSLA', 'BRK.B'], 'broker.startingCashCents': 10_000_000 });
  });

  it('refuses a value of the wrong type and keeps the old one', () => {
    const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
    const store = new SettingsStore(db);
    store.set('broker.startingCashCents', 500_000, 1);
    expect(() => store.set('broker.startingCashCents', -5, 2)).toThrow(AppError);
    expect(() => store.set('watchlist', ['not a ticker!'], 2)).toThrow(/watchlist/);
    expect(store.get('broker.startingCashCents')).toBe(500_000);
    db.close();
  });

  it('reads a damaged stored value as the default and reports it', () => {
    const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'));
    const reports: string[] = [];
    const store = new SettingsStore(db, (key) => reports.push(key));
    db.prepare("INSERT INTO settings VALUES ('watchlist', '{broken', 1)").run();
    db.prepare("INSERT INTO settings VALUES ('broker.startingCashCents', '\"lots\"', 1)").run();
    expect(store.get('watchlist')).toEqual(['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY']);
    expect(store.get('broker.startingCashCents')).toBe(10_000_000);
    expect(reports).toEqual(['watchlist', 'broker.startingCashCents']);
    db.close();
  });
});
