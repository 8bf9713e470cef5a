import { useEffect, useRef, useState } from 'react';
import type { Quote } from '../../../shared/contract/market';
import { api } from '../api';
import { FrameBatcher } from './frame-batcher';

/**
 * Quotes of every symbol of the replay session, live from `onTicks`, re-rendered at most once an animation frame.
 * `reloadKey` changes (a new session, a seek) fetch them again from `market.quotes`. With `only`, the component
 * re-renders only when that symbol's quote changed.
 */
export function useLiveQuotes(
  reloadKey: string,
  only?: string | null,
): { quotes: ReadonlyMap<string, Quote>; error: string | null } {
  const [quotes, setQuotes] = useState<ReadonlyMap<string, Quote>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const current = useRef(new Map<string, Quote>());
  const onlyRef = useRef(only);
  onlyRef.current = only;

  useEffect(() => {
    const batcher = new FrameBatcher(() => setQuotes(new Map(current.current)));
    const off = api.events.onTicks((payload) => {
      if (payload.quotes.length === 0) return;
      let relevant = false;
      for (const q of payload.quotes) {
        current.current.set(q.symbol, q);
        if (!onlyRef.current || q.symbol === onlyRef.current) relevant = true;
      }
      if (relevant) batcher.schedule();
    });
    return () => {
      off();
      batcher.dispose();
    };
  }, []);

  useEffect(() => {
    if (!reloadKey) return;
    let live = true;
    api.market.quotes().then((result) => {
      if (!live) return;
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      const next = new Map<string, Quote>();
      for (const q of result.value.quotes) next.set(q.symbol, q);
      current.current = next;
      setQuotes(new Map(next));
      setError(null);
    });
    return () => {
      live = false;
    };
  }, [reloadKey]);

  return { quotes, error };
}
