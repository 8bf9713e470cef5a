import type { Bar } from '../../../shared/domain/market';
import type { SeriesView } from './series-views';

interface Entry<S, O> {
  anchorT: number;
  count: number;
  lastT: number;
  state: S;
  /** The output after the last folded bar; valid once `stepped`. */
  out: O | undefined;
  stepped: boolean;
}

/**
 * A streaming computation kept alive per symbol for the decode path: each new bar of a view costs one step. The
 * state is always a function of the view's bars from its anchor, so its outputs can be cached under the view's
 * fingerprint; when the anchor moves (or the bars change under it) the state is rebuilt with `make`.
 */
export class LiveFold<S, O> {
  private readonly entries = new Map<string, Entry<S, O>>();

  constructor(
    /**
     * A state for the view, and how many of its leading bars it already covers: fewer than all of them, so that the
     * last bar is stepped and its output known.
     */
    private readonly make: (view: SeriesView) => { state: S; count: number },
    private readonly step: (state: S, bar: Bar, index: number, view: SeriesView) => O,
  ) {}

  /** The output after the view's last bar. */
  advance(view: SeriesView): O {
    const bars = view.bars;
    const n = bars.length;
    const key = `${view.symbol}|${view.timeframe}`;
    let entry = this.entries.get(key);
    const consistent =
      entry !== undefined &&
      entry.anchorT === (bars[0] as Bar).t &&
      entry.count <= n &&
      entry.count > 0 &&
      (bars[entry.count - 1] as Bar).t === entry.lastT;
    if (!entry || !consistent) {
      const made = this.make(view);
      const count = Math.min(made.count, n - 1);
      if (count !== made.count) throw new Error('LiveFold: make() must leave the last bar to step');
      entry = {
        anchorT: (bars[0] as Bar).t,
        count,
        lastT: Number.NaN,
        state: made.state,
        out: undefined,
        stepped: false,
      };
      this.entries.set(key, entry);
    }
    for (let i = entry.count; i < n; i++) {
      entry.out = this.step(entry.state, bars[i] as Bar, i, view);
      entry.stepped = true;
    }
    entry.count = n;
    entry.lastT = (bars[n - 1] as Bar).t;
    // A fresh entry always steps its last bar, and a kept one stepped before: the output is known.
    return entry.out as O;
  }

  reset(): void {
    this.entries.clear();
  }
}
