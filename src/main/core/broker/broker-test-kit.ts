/**
 * Test helpers for the broker: a real broker on a real temporary SQLite file, bars, and a full dump of the
 * database for "nothing changed" checks. Nothing here is a mock.
 */
import path from 'node:path';
import type { BrokerConfig } from '../../../shared/domain/broker';
import type { Bar } from '../../../shared/domain/market';
import { type Db, openDatabase } from '../db/database';
import { makeTempDir } from '../testing/fixtures';
import { type BrokerEmit, PaperBroker } from './paper-broker';

export interface BrokerFixture {
  file: string;
  db: Db;
  broker: PaperBroker;
  events: { event: string; payload: unknown }[];
  /** Closes the database and opens the same file again, with a new broker (a restart). */
  restart(): BrokerFixture;
}

/** A zero-cost config (no commission, no spread, no volume cap) unless overridden, so expectations stay readable. */
export const plainConfig: Partial<BrokerConfig> = {
  commissionPerShareE4: 0,
  commissionMinE4: 0,
  spreadBps: 0,
  slippageBps: 0,
  maxVolumeParticipation: 1,
};

export function openBrokerFixture(
  config: Partial<BrokerConfig> = plainConfig,
  options: { symbols?: string[]; file?: string; accountId?: string } = {},
): BrokerFixture {
  const file = options.file ?? path.join(makeTempDir('swaggy-broker-'), 'swaggy.db');
  const db = openDatabase(file);
  const events: { event: string; payload: unknown }[] = [];
  const emit: BrokerEmit = (event, payload) => {
    events.push({ event, payload });
  };
  const symbols = new Set(options.symbols ?? ['AAPL', 'MSFT', 'TSLA']);
  const broker = new PaperBroker({
    db,
    config,
    accountId: options.accountId,
    knownSymbol: (s) => symbols.has(s),
    emit,
  });
  return {
    file,
    db,
    broker,
    events,
    restart() {
      broker.flush();
      db.close();
      return openBrokerFixture(config, { ...options, file });
    },
  };
}

/** A bar at `t` (ms) with prices in dollars. */
export function bar(t: number, o: number, h: number, l: number, c: number, v = 1_000_000): Bar {
  return { t, o, h, l, c, v };
}

/** Every row of every table, in a stable order: two dumps are equal only if nothing changed. */
export function dumpDatabase(db: Db): Record<string, unknown[]> {
  const tables = db
    .prepare<[], string>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .pluck()
    .all();
  const out: Record<string, unknown[]> = {};
  for (const table of tables) out[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2`).all();
  return out;
}
