import type { Migration } from './index';

/**
 * The paper broker's books. Money is integer 1e-4 dollars (`_e4`), quantities whole shares, times market time
 * (`_t`, UTC epoch ms). Every table carries the account id, so the desk's account and a backtest's can share a
 * file. The books reconcile: `cash_e4` equals the sum of the account's ledger, each position equals the sum of
 * its fills, and `cash + Σ position cost = starting cash + realised P&L − commissions`.
 */
export const m003Broker: Migration = {
  version: 3,
  name: 'broker',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY NOT NULL,
        starting_cash_e4 INTEGER NOT NULL CHECK (starting_cash_e4 > 0),
        cash_e4 INTEGER NOT NULL,
        realized_pnl_e4 INTEGER NOT NULL DEFAULT 0,
        commissions_e4 INTEGER NOT NULL DEFAULT 0 CHECK (commissions_e4 >= 0),
        -- The broker configuration the account was opened (or last reset) with, for the record.
        config_json TEXT NOT NULL DEFAULT '{}',
        created_t INTEGER NOT NULL,
        updated_t INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE orders (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
        type TEXT NOT NULL CHECK (type IN ('market', 'limit', 'stop', 'stop_limit')),
        tif TEXT NOT NULL CHECK (tif IN ('day', 'gtc')),
        qty INTEGER NOT NULL CHECK (qty > 0),
        filled_qty INTEGER NOT NULL DEFAULT 0 CHECK (filled_qty >= 0 AND filled_qty <= qty),
        -- Sum of fill qty × price, so the average fill price is exact: filled_notional_e4 / filled_qty.
        filled_notional_e4 INTEGER NOT NULL DEFAULT 0,
        limit_price_e4 INTEGER CHECK (limit_price_e4 > 0),
        stop_price_e4 INTEGER CHECK (stop_price_e4 > 0),
        triggered INTEGER NOT NULL DEFAULT 0 CHECK (triggered IN (0, 1)),
        status TEXT NOT NULL CHECK (status IN ('held', 'open', 'partially_filled', 'filled', 'cancelled', 'expired')),
        -- Why it was cancelled or expired (rejected requests never become rows: they change nothing).
        status_reason TEXT,
        -- Buying power held back for the unfilled rest (0 once the order is final).
        reserved_e4 INTEGER NOT NULL DEFAULT 0 CHECK (reserved_e4 >= 0),
        commission_e4 INTEGER NOT NULL DEFAULT 0 CHECK (commission_e4 >= 0),
        -- Brackets: exits point at their entry and share an OCO group (the entry's id).
        parent_id INTEGER REFERENCES orders(id) ON DELETE CASCADE,
        oco_group INTEGER,
        role TEXT CHECK (role IN ('entry', 'take_profit', 'stop_loss')),
        client_tag TEXT,
        -- Market time it was placed: it may fill only on bars that open at or after it (no look-ahead).
        created_t INTEGER NOT NULL,
        updated_t INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX orders_account_status ON orders(account_id, status);
      CREATE INDEX orders_parent ON orders(parent_id) WHERE parent_id IS NOT NULL;

      CREATE TABLE fills (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
        qty INTEGER NOT NULL CHECK (qty > 0),
        price_e4 INTEGER NOT NULL CHECK (price_e4 > 0),
        commission_e4 INTEGER NOT NULL CHECK (commission_e4 >= 0),
        realized_pnl_e4 INTEGER NOT NULL,
        position_after INTEGER NOT NULL,
        t INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX fills_account_t ON fills(account_id, t);
      CREATE INDEX fills_order ON fills(order_id);

      CREATE TABLE positions (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        symbol TEXT NOT NULL,
        qty INTEGER NOT NULL,
        -- Signed like qty: what the open shares cost (a short's is minus the proceeds it opened for).
        cost_e4 INTEGER NOT NULL,
        realized_pnl_e4 INTEGER NOT NULL DEFAULT 0,
        mark_price_e4 INTEGER,
        mark_t INTEGER,
        opened_t INTEGER,
        updated_t INTEGER NOT NULL,
        PRIMARY KEY (account_id, symbol),
        CHECK ((qty = 0) = (cost_e4 = 0))
      ) STRICT;

      CREATE TABLE ledger (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        t INTEGER NOT NULL,
        amount_e4 INTEGER NOT NULL,
        -- Cash after this movement.
        balance_e4 INTEGER NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('deposit', 'buy', 'sell', 'commission')),
        order_id INTEGER REFERENCES orders(id) ON DELETE CASCADE,
        fill_id INTEGER REFERENCES fills(id) ON DELETE CASCADE,
        symbol TEXT,
        note TEXT
      ) STRICT;
      CREATE INDEX ledger_account ON ledger(account_id, id);

      CREATE TABLE equity_points (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        t INTEGER NOT NULL,
        equity_e4 INTEGER NOT NULL,
        cash_e4 INTEGER NOT NULL,
        PRIMARY KEY (account_id, t)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
