import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../../testing/fixtures';
import { openDatabase } from '../database';
import { migrate, schemaVersion } from './index';

afterEach(cleanupTempDirs);

describe('migration 3: broker', () => {
  it('creates the broker tables, strict and with their rules', () => {
    const db = openDatabase(path.join(makeTempDir(), 'swaggy.db'), { migrateTo: 2 });
    expect(schemaVersion(db)).toBe(2);
    migrate(db, 3);
    expect(schemaVersion(db)).toBe(3);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['accounts', 'orders', 'fills', 'positions', 'ledger', 'equity_points']),
    );
    const strict = db.prepare<[], { name: string; strict: number }>('PRAGMA table_list').all();
    for (const name of ['accounts', 'orders', 'fills', 'positions', 'ledger', 'equity_points']) {
      expect(strict.find((t) => t.name === name)?.strict, name).toBe(1);
    }

    db.prepare(
      `INSERT INTO accounts (id, starting_cash_e4, cash_e4, created_t, updated_t) VALUES ('paper', 1000000000, 1000000000, 0, 0)`,
    ).run();
    const insertOrder = db.prepare(
      `INSERT INTO orders (account_id, symbol, side, type, tif, qty, filled_qty, status, created_t, updated_t)
       VALUES ('paper', 'AAPL', ?, 'market', 'day', ?, ?, ?, 0, 0)`,
    );
    const id = Number(insertOrder.run('buy', 10, 0, 'open').lastInsertRowid);
    // The schema refuses an impossible order on its own: a zero quantity, an overfill, an unknown side or status.
    expect(() => insertOrder.run('buy', 0, 0, 'open')).toThrow(/CHECK/);
    expect(() => insertOrder.run('buy', 10, 11, 'open')).toThrow(/CHECK/);
    expect(() => insertOrder.run('hold', 10, 0, 'open')).toThrow(/CHECK/);
    expect(() => insertOrder.run('buy', 10, 0, 'rejected')).toThrow(/CHECK/);
    // STRICT: a price that is not an integer is refused, not stored as text.
    expect(() =>
      db
        .prepare(
          `INSERT INTO fills (account_id, order_id, symbol, side, qty, price_e4, commission_e4, realized_pnl_e4, position_after, t)
           VALUES ('paper', ?, 'AAPL', 'buy', 1, 'abc', 0, 0, 1, 0)`,
        )
        .run(id),
    ).toThrow();
    // A position row keeps quantity and cost consistent: flat has no cost, open has some.
    expect(() =>
      db
        .prepare(
          `INSERT INTO positions (account_id, symbol, qty, cost_e4, updated_t) VALUES ('paper', 'AAPL', 0, 5, 0)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    // Deleting an account removes its books with it.
    db.prepare("DELETE FROM accounts WHERE id = 'paper'").run();
    expect(db.prepare('SELECT COUNT(*) FROM orders').pluck().get()).toBe(0);
    db.close();
  });
});
