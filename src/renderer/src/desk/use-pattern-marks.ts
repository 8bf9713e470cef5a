import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { type PatternHit, patternHitSchema } from '../../../shared/domain/analysis';
import type { Answer } from '../../../shared/domain/decision';
import type { Timeframe } from '../../../shared/domain/market';
import { api } from '../api';
import { type PatternMark, selectRecentPatterns } from './pattern-marks';
import { askQuietly, isQuietQuery } from './quiet-asks';

/** A new scan after this many completed bars of the chart's symbol... */
const SCAN_EVERY_BARS = 5;
/** ...but not more often than this (a replay at full speed completes hundreds of bars a second). */
const SCAN_MIN_GAP_MS = 3_000;
/** Bars read to place the scan in time: the scan's window (300 bars) and what completed since. */
const PLACEMENT_BARS = 800;

const hitsSchema = z.array(patternHitSchema);
const NO_MARKS: readonly PatternMark[] = [];

/** The Moonshot scan in an answer about `symbol`, if it carries one. */
function scanOf(answer: Answer, symbol: string): PatternHit[] | null {
  const intent = answer.intent;
  if (!('symbol' in intent) || intent.symbol !== symbol) return null;
  const run = answer.slots.find((s) => s.slot === 'moonshot' && s.ok && s.value !== undefined);
  if (!run) return null;
  const parsed = hitsSchema.safeParse(run.value);
  return parsed.success ? parsed.data : null;
}

/**
 * The recent candlestick and chart patterns of the chart's symbol, from Moonshot. Any answer that carries the symbol's pattern scan
 * (a pattern or comprehensive question, the trader's or the desk's) updates them for free; otherwise the desk asks
 * "any patterns on SYM?" itself (answered from the pattern cache when the scan is already there) when the symbol or
 * the session changes and every few completed bars. The scan runs on the replay's own timeframe (`baseTimeframe`).
 */
export function usePatternMarks(
  symbol: string | null,
  baseTimeframe: Timeframe | null,
  reloadKey: string,
  enabled: boolean,
): { symbol: string | null; marks: readonly PatternMark[]; error: string | null } {
  // Kept with the symbol they belong to: after a switch, the old symbol's marks are never drawn on the new chart.
  const [state, setState] = useState<{ symbol: string | null; marks: readonly PatternMark[] }>({
    symbol: null,
    marks: [],
  });
  const [error, setError] = useState<string | null>(null);
  const target = useRef({ symbol, baseTimeframe, enabled, generation: 0 });
  target.current = { ...target.current, symbol, baseTimeframe, enabled };

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey is a trigger (a new session or a jump)
  useEffect(() => {
    const t = target.current;
    // Per symbol and session: a scan still running for the previous one neither blocks nor delays this one.
    const s = { inFlight: false, barsSince: 0, lastScanMs: Number.NEGATIVE_INFINITY, timer: null as number | null };
    t.generation++;
    const generation = t.generation;
    const isCurrent = (sym: string) =>
      target.current.generation === generation && target.current.symbol === sym && target.current.enabled;

    const place = async (sym: string, tf: Timeframe, hits: PatternHit[]) => {
      const bars = await api.market.bars({ symbol: sym, timeframe: tf, limit: PLACEMENT_BARS });
      if (!isCurrent(sym)) return;
      if (!bars.ok) {
        setError(bars.error.message);
        return;
      }
      setState({ symbol: sym, marks: selectRecentPatterns(hits, bars.value.bars) });
      setError(null);
    };

    const scan = async () => {
      const { symbol: sym, baseTimeframe: tf } = target.current;
      if (!sym || !tf || !isCurrent(sym) || s.inFlight) return;
      s.inFlight = true;
      s.barsSince = 0;
      s.lastScanMs = performance.now();
      try {
        const result = await askQuietly(`any patterns on ${sym}?`, sym);
        if (!isCurrent(sym)) return;
        if (!result.ok) {
          setError(result.error.message);
          return;
        }
        const hits = scanOf(result.value, sym);
        if (hits) await place(sym, tf, hits);
        else setError(result.value.degraded[0] ?? 'Moonshot gave no pattern scan for this symbol.');
      } finally {
        s.inFlight = false;
        // Bars that completed while this scan ran still count towards the next one.
        if (s.barsSince >= SCAN_EVERY_BARS && isCurrent(sym)) scheduleScan();
      }
    };

    function scheduleScan(): void {
      if (s.timer !== null) return;
      const wait = Math.max(0, s.lastScanMs + SCAN_MIN_GAP_MS - performance.now());
      s.timer = window.setTimeout(() => {
        s.timer = null;
        void scan();
      }, wait);
    }

    setState({ symbol: null, marks: [] });
    setError(null);
    if (symbol && baseTimeframe && enabled) scheduleScan();

    const offBars = api.events.onBars(({ bars, truncated }) => {
      const { symbol: sym, baseTimeframe: tf, enabled: on } = target.current;
      if (!sym || !tf || !on) return;
      if (truncated) s.barsSince += SCAN_EVERY_BARS;
      for (const e of bars) if (e.symbol === sym && e.timeframe === tf) s.barsSince++;
      if (s.barsSince >= SCAN_EVERY_BARS) scheduleScan();
    });
    const offAnswer = api.events.onAnswer((answer) => {
      const { symbol: sym, baseTimeframe: tf, enabled: on } = target.current;
      // The desk's own scans are placed from their reply.
      if (!sym || !tf || !on || isQuietQuery(answer.query)) return;
      const hits = scanOf(answer, sym);
      if (!hits) return;
      s.barsSince = 0;
      void place(sym, tf, hits);
    });
    return () => {
      offBars();
      offAnswer();
      if (s.timer !== null) window.clearTimeout(s.timer);
      s.timer = null;
    };
  }, [symbol, baseTimeframe, reloadKey, enabled]);

  const valid = enabled && state.symbol === symbol;
  return { symbol: valid ? symbol : null, marks: valid ? state.marks : NO_MARKS, error };
}
