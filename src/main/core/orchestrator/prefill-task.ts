import type { PatternHit } from '../../../shared/domain/analysis';
import type { Bar } from '../../../shared/domain/market';
import { createStreamState, type StreamState, snapshotState, updateStream } from '../agents/internlm2';
import { detectPatterns } from '../agents/moonshot/patterns';
import type { Task } from '../workers/protocol';

export interface PrefillInput {
  /** Bars packed as t, o, h, l, c, v per bar (cheap to send to a worker). */
  packed: Float64Array;
  /** InternLM2 stream parameters (resolved). */
  streamParams: unknown;
  blockSize: number;
  /** Bars of the pattern scan's window, taken from the end. */
  patternWindow: number;
}

export interface PrefillOutput {
  /** InternLM2's state after every block boundary of bars[0 .. n-1), and after n-1 bars. */
  states: { length: number; state: StreamState }[];
  patterns: PatternHit[];
}

function unpack(packed: Float64Array): Bar[] {
  const bars: Bar[] = [];
  for (let i = 0; i + 5 < packed.length; i += 6) {
    bars.push({
      t: packed[i] as number,
      o: packed[i + 1] as number,
      h: packed[i + 2] as number,
      l: packed[i + 3] as number,
      c: packed[i + 4] as number,
      v: packed[i + 5] as number,
    });
  }
  return bars;
}

/**
 * "Prefill" for one symbol, in a worker: streams InternLM2 over the history and keeps its state at every block
 * boundary (and before the last bar, where the decode path resumes), and scans the recent window for patterns.
 * The main thread stores the results in the pattern cache, so the first question or decision after a load costs
 * one streaming step instead of a full pass.
 */
export const prefillTask: Task<PrefillInput, PrefillOutput> = (input, ctx) => {
  const bars = unpack(input.packed);
  const state = createStreamState(input.streamParams as Parameters<typeof createStreamState>[0]);
  const states: PrefillOutput['states'] = [];
  const prefixLength = bars.length - 1;
  for (let i = 0; i < prefixLength; i++) {
    updateStream(state, bars[i] as Bar);
    const length = i + 1;
    if (length % input.blockSize === 0 || length === prefixLength) states.push({ length, state: snapshotState(state) });
    if (length % 2048 === 0) ctx.progress(length, bars.length);
  }
  const window = bars.length > input.patternWindow ? bars.slice(-input.patternWindow) : bars;
  return { states, patterns: detectPatterns(window) };
};
