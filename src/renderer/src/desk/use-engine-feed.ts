import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { type FeedItem, FeedModel } from './feed-model';
import { FrameBatcher } from './frame-batcher';
import { isQuietQuery } from './quiet-asks';

/** Decisions fetched when the desk opens (those made before it did). */
const HISTORY_DECISIONS = 50;

/**
 * The decision feed's items, live: `engine.decisions` when the desk opens (and when the session changes), then
 * `onDecision`, `onAlert` and `onAnswer` (the desk's own background questions left out). A replay at full speed
 * can decide many times a second: the list re-renders at most once an animation frame.
 */
export function useEngineFeed(reloadKey: string): { items: readonly FeedItem[]; error: string | null } {
  const model = useRef(new FeedModel());
  const [items, setItems] = useState<readonly FeedItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const batcher = useRef<FrameBatcher | null>(null);

  useEffect(() => {
    const b = new FrameBatcher(() => setItems(model.current.items()));
    batcher.current = b;
    const offs = [
      api.events.onDecision((d) => {
        model.current.addDecision(d);
        b.schedule();
      }),
      api.events.onAlert((a) => {
        model.current.addAlert(a);
        b.schedule();
      }),
      api.events.onAnswer((a) => {
        if (isQuietQuery(a.query)) return;
        model.current.addAnswer(a);
        b.schedule();
      }),
    ];
    return () => {
      for (const off of offs) off();
      b.dispose();
      batcher.current = null;
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey is the trigger, not an input
  useEffect(() => {
    let live = true;
    api.engine.decisions({ limit: HISTORY_DECISIONS }).then((result) => {
      if (!live) return;
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      model.current.loadDecisions(result.value);
      batcher.current?.schedule();
    });
    return () => {
      live = false;
    };
  }, [reloadKey]);

  return { items, error };
}
