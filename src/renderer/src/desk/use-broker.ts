import { useCallback, useEffect, useRef, useState } from 'react';
import type { AccountSummary, EquityPoint, Fill, Order, Position } from '../../../shared/domain/broker';
import { api } from '../api';

/** What the blotter, the ticket and the chart's fill markers show of the paper account. */
export interface BrokerView {
  working: readonly Order[];
  orders: readonly Order[];
  fills: readonly Fill[];
  positions: readonly Position[];
  account: AccountSummary | null;
  equity: readonly EquityPoint[];
  error: string | null;
  /** Fetches everything again now. */
  reload: () => void;
}

const LIST_LIMIT = 500;
/** Lists refetch at most this often while events pour in (a replay at max speed fills many orders a second). */
const LISTS_MIN_GAP_MS = 150;
/** Positions and the equity curve follow marks, which move with every tick: refetch them less often. */
const MARKS_MIN_GAP_MS = 400;
const EQUITY_MIN_GAP_MS = 1_000;

/** Calls `run` after events stop coming for a moment, and at least every `gapMs` while they keep coming. */
function throttle(run: () => void, gapMs: number): { poke: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    poke() {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        run();
      }, gapMs);
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

/**
 * The paper account, live: orders, fills, positions, the account summary and the equity curve. Lists are refetched
 * (cheap, local) when `onOrder`, `onFill` or `onAccount` say something changed; the summary comes with `onAccount`.
 * `reloadKey` changes (a new session, which may have restarted the account) fetch everything again.
 */
export function useBroker(reloadKey: string): BrokerView {
  const [working, setWorking] = useState<readonly Order[]>([]);
  const [orders, setOrders] = useState<readonly Order[]>([]);
  const [fills, setFills] = useState<readonly Fill[]>([]);
  const [positions, setPositions] = useState<readonly Position[]>([]);
  const [account, setAccount] = useState<AccountSummary | null>(null);
  const [equity, setEquity] = useState<readonly EquityPoint[]>([]);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);

  const report = useCallback((message: string | null) => {
    if (alive.current) setError(message);
  }, []);

  const loadLists = useCallback(async () => {
    const [w, o, f] = await Promise.all([
      api.orders.list({ status: 'working', limit: LIST_LIMIT }),
      api.orders.list({ status: 'all', limit: LIST_LIMIT }),
      api.fills.list({ limit: LIST_LIMIT }),
    ]);
    if (!alive.current) return;
    if (w.ok) setWorking(w.value);
    if (o.ok) setOrders(o.value);
    if (f.ok) setFills(f.value);
    const failed = [w, o, f].find((r) => !r.ok);
    report(failed && !failed.ok ? failed.error.message : null);
  }, [report]);

  const loadMarks = useCallback(async () => {
    const [p, a] = await Promise.all([api.positions.list({ includeFlat: true }), api.account.summary()]);
    if (!alive.current) return;
    if (p.ok) setPositions(p.value);
    if (a.ok) setAccount(a.value);
  }, []);

  const loadEquity = useCallback(async () => {
    const e = await api.account.equityCurve({ maxPoints: 600 });
    if (alive.current && e.ok) setEquity(e.value);
  }, []);

  const reload = useCallback(() => {
    void loadLists();
    void loadMarks();
    void loadEquity();
  }, [loadLists, loadMarks, loadEquity]);

  useEffect(() => {
    alive.current = true;
    const lists = throttle(() => void loadLists(), LISTS_MIN_GAP_MS);
    const marks = throttle(() => void loadMarks(), MARKS_MIN_GAP_MS);
    const curve = throttle(() => void loadEquity(), EQUITY_MIN_GAP_MS);
    const offs = [
      api.events.onOrder(() => {
        lists.poke();
        marks.poke();
      }),
      api.events.onFill(() => {
        lists.poke();
        marks.poke();
      }),
      api.events.onAccount((summary) => {
        setAccount(summary);
        marks.poke();
        curve.poke();
      }),
    ];
    return () => {
      alive.current = false;
      for (const off of offs) off();
      lists.cancel();
      marks.cancel();
      curve.cancel();
    };
  }, [loadLists, loadMarks, loadEquity]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey is the trigger, not an input
  useEffect(() => {
    reload();
  }, [reloadKey, reload]);

  return { working, orders, fills, positions, account, equity, error, reload };
}
