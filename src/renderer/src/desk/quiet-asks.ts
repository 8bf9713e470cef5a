/**
 * Questions the desk asks the engine on its own behalf (the chart's "any patterns on TSLA?"), as opposed to the
 * trader's. They go through `engine.ask` like any other and come back as `onAnswer` events too; the feed leaves them
 * out, since the trader never asked them. A query stays marked a moment after its answer, in case the event is
 * delivered after the reply.
 */
import type { Answer } from '../../../shared/domain/decision';
import type { Result } from '../../../shared/result';
import { api } from '../api';

const inFlight = new Map<string, number>();
/** How long a query stays marked after its reply (the event normally arrives first). */
const LINGER_MS = 3_000;

/** Asks the engine without the answer appearing in the decision feed. */
export async function askQuietly(text: string, currentSymbol?: string): Promise<Result<Answer>> {
  inFlight.set(text, (inFlight.get(text) ?? 0) + 1);
  try {
    return await api.engine.ask({ text, ...(currentSymbol ? { currentSymbol } : {}) });
  } finally {
    setTimeout(() => {
      const n = (inFlight.get(text) ?? 1) - 1;
      if (n <= 0) inFlight.delete(text);
      else inFlight.set(text, n);
    }, LINGER_MS);
  }
}

/** Whether an answer's query is one the desk asked by itself. */
export function isQuietQuery(query: string): boolean {
  return inFlight.has(query);
}
