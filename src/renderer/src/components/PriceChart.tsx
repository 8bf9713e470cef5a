import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  LineSeries,
  LineStyle,
  type SeriesMarker,
  TickMarkType,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import type { Fill } from '../../../shared/domain/broker';
import type { Bar, Timeframe } from '../../../shared/domain/market';
import { fromE4 } from '../../../shared/money';
import { api } from '../api';
import { FrameBatcher } from '../desk/frame-batcher';
import type { PatternMark } from '../desk/pattern-marks';
import { formatPrice, formatPriceE4, formatQty, formatVolume, priceDecimals } from '../format';
import { barBucket, formatMarketHm, formatMarketTime, type MarketZone } from '../market-time';

/** Bars of history a chart loads (the engine keeps up to 5,000 per timeframe). */
const HISTORY_BARS = 2_000;
/** Past this many bars in memory, the oldest are dropped and the chart redrawn once. */
const MAX_BARS = 6_000;
/** Bars in view after a load: about a session of 1m bars zoomed out a little. */
const VISIBLE_BARS = 160;
/** About four months of daily bars. */
const VISIBLE_DAILY_BARS = 90;
/** Least wall time between history reloads (bars truncated at max speed, a bar out of place). */
const RELOAD_MIN_GAP_MS = 400;
/** Newest fill markers drawn (each one is a shape and a label on the canvas). */
const MAX_MARKERS = 200;

const COLORS = {
  background: '#121821',
  text: '#8797aa',
  grid: '#1b2431',
  border: '#243041',
  up: '#26a69a',
  down: '#ef5350',
  upVolume: 'rgba(38, 166, 154, 0.45)',
  downVolume: 'rgba(239, 83, 80, 0.45)',
  neutral: '#f0b429',
};

/** Pattern colours: a bullish pattern green, a bearish one red, a neutral one (doji) amber. */
const PATTERN_COLORS: Record<PatternMark['direction'], string> = {
  bullish: '#4fd1c5',
  bearish: '#ff8a80',
  neutral: COLORS.neutral,
};
const NO_PATTERNS: readonly PatternMark[] = [];
/** Breakout levels drawn as price lines: those of the newest chart patterns only, or the axis fills with labels. */
const MAX_BREAKOUT_LINES = 2;

interface PriceChartProps {
  symbol: string | null;
  timeframe: Timeframe;
  zone: MarketZone;
  /** Changes whenever the market jumped (new session, seek): the chart reloads its history. */
  reloadKey: string;
  simulated: boolean;
  /** The account's fills (newest first); those of `symbol` are drawn as markers. */
  fills: readonly Fill[];
  /** Recent patterns of `symbol` (Moonshot): marked on their last bar, with their lines and breakout levels. */
  patterns?: readonly PatternMark[];
}

interface ChartParts {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick'>;
  volume: ISeriesApi<'Histogram'>;
  markers: ISeriesMarkersPluginApi<Time>;
  /** What is drawn for the patterns, removed and drawn again when they change. */
  patternLines: ISeriesApi<'Line'>[];
  breakoutLines: IPriceLine[];
}

/** What the chart shows, kept outside React: ticks update it in place, the next animation frame draws it. */
interface ChartModel {
  /** `symbol|timeframe` the bars belong to; events for anything else are ignored. */
  key: string;
  /** Ascending by time; the last one may still be forming. */
  bars: Bar[];
  /** Bars changed since the last frame, by open time. */
  dirty: Map<number, Bar>;
  redraw: boolean;
  /** Scroll to the newest bars at the next redraw (after a load). */
  reposition: boolean;
  markersDirty: boolean;
  /** Pattern lines need drawing again (new patterns, or bars redrawn under them). */
  patternsDirty: boolean;
  /** History is being fetched: ticks are dropped (the forming bar comes with it), completed bars are held. */
  loading: boolean;
  /** Completed bars that arrived while loading: applied over the history once it is in. */
  held: Bar[];
}

const toTime = (t: number) => Math.floor(t / 1000) as UTCTimestamp;

function candleOf(bar: Bar) {
  return { time: toTime(bar.t), open: bar.o, high: bar.h, low: bar.l, close: bar.c };
}

function volumeOf(bar: Bar) {
  return { time: toTime(bar.t), value: bar.v, color: bar.c >= bar.o ? COLORS.upVolume : COLORS.downVolume };
}

/** Index of the last bar that opened at or before `t`, or -1. */
function barIndexAtOrBefore(bars: readonly Bar[], t: number): number {
  let lo = 0;
  let hi = bars.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((bars[mid] as Bar).t <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * Puts a bar into the model: appended when it is newer than the last one, replaced when its time is already there.
 * Returns false when it would have to be inserted between existing bars (the chart then needs a full redraw).
 */
function upsert(model: ChartModel, bar: Bar): boolean {
  const bars = model.bars;
  const last = bars.at(-1);
  if (!last || bar.t > last.t) {
    bars.push(bar);
  } else {
    const i = barIndexAtOrBefore(bars, bar.t);
    if (i >= 0 && (bars[i] as Bar).t === bar.t) {
      bars[i] = bar;
    } else {
      bars.splice(i + 1, 0, bar);
      model.redraw = true;
      return false;
    }
  }
  model.dirty.set(bar.t, bar);
  return true;
}

/** "B 100@187.25" below a bar for a buy, "S 100@190.10" above it for a sell. */
function markerOf(fill: Fill, time: number): SeriesMarker<Time> {
  const buy = fill.side === 'buy';
  return {
    time: toTime(time),
    position: buy ? 'belowBar' : 'aboveBar',
    shape: buy ? 'arrowUp' : 'arrowDown',
    color: buy ? COLORS.up : COLORS.down,
    text: `${buy ? 'B' : 'S'} ${formatQty(fill.qty)}@${formatPriceE4(fill.priceE4)}`,
  };
}

/** A dot on the pattern's last bar: below it for a bullish pattern, above for a bearish one. */
function patternMarkerOf(mark: PatternMark, time: number): SeriesMarker<Time> {
  return {
    time: toTime(time),
    position: mark.direction === 'bearish' ? 'aboveBar' : mark.direction === 'bullish' ? 'belowBar' : 'inBar',
    shape: 'circle',
    color: PATTERN_COLORS[mark.direction],
    // Candlestick patterns sit on one or two bars each, often several close together: their names would pile up
    // on the chart, so they are dots here and named in the legend.
    text: mark.category === 'chart' ? mark.name : '',
    size: 0.6,
  };
}

/** The legend's tooltip: what the pattern projects and where it fails. */
function patternTitle(m: PatternMark): string {
  const parts = [`${m.name}: ${m.direction}, confidence ${Math.round(m.confidence * 100)}%`];
  if (m.target !== null) parts.push(`measured-move target ${formatPrice(m.target)}`);
  if (m.invalidation !== null) {
    parts.push(`invalidated ${m.direction === 'bearish' ? 'above' : 'below'} ${formatPrice(m.invalidation)}`);
  }
  return parts.join(', ');
}

/** "3 bars ago", "last bar". */
function agoText(barsAgo: number): string {
  if (barsAgo <= 0) return 'last bar';
  return `${barsAgo} bar${barsAgo === 1 ? '' : 's'} ago`;
}

/**
 * The candlestick chart with volume (lightweight-charts v5): history from `market.bars`, then live from `onTicks`
 * (the bar forming) and `onBars` (completed bars, authoritative), drawn once per animation frame however many ticks
 * arrive. Fills of the symbol are markers; so are its recent patterns, with their lines (flagpole, neckline, channel)
 * and breakout levels, listed in a legend. Times are true UTC on the axis and shown in the market's zone.
 */
export function PriceChart({
  symbol,
  timeframe,
  zone,
  reloadKey,
  simulated,
  fills,
  patterns = NO_PATTERNS,
}: PriceChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLDivElement>(null);
  const partsRef = useRef<ChartParts | null>(null);
  const batcherRef = useRef<FrameBatcher | null>(null);
  const modelRef = useRef<ChartModel>({
    key: '',
    bars: [],
    dirty: new Map(),
    redraw: false,
    reposition: false,
    markersDirty: false,
    patternsDirty: false,
    loading: true,
    held: [],
  });
  const props = useRef({ symbol, timeframe, zone, fills, patterns });
  props.current = { symbol, timeframe, zone, fills, patterns };
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const hoverRef = useRef<number | null>(null);

  // The chart itself: created once, resized with its panel, drawn from the model once per frame.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const dailyAxis = () => props.current.timeframe === '1d';
    const formatAxisTime = (time: Time): string => {
      const t = (time as number) * 1000;
      return dailyAxis() ? formatMarketTime(t, 'UTC', true) : formatMarketTime(t, props.current.zone);
    };
    const chart = createChart(container, {
      width: container.clientWidth,
      height: container.clientHeight,
      layout: {
        background: { type: ColorType.Solid, color: COLORS.background },
        textColor: COLORS.text,
        fontFamily: 'Inter, "Segoe UI", system-ui, sans-serif',
        // The logo injects a <style> element, which the desk's Content-Security-Policy refuses; credit is given in text.
        attributionLogo: false,
      },
      grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
      rightPriceScale: { borderColor: COLORS.border, scaleMargins: { top: 0.08, bottom: 0.28 } },
      timeScale: {
        borderColor: COLORS.border,
        timeVisible: true,
        secondsVisible: false,
        rightOffset: 4,
        tickMarkFormatter: (time: Time, type: TickMarkType) => {
          const t = (time as number) * 1000;
          // Daily bars are stamped 00:00 UTC of their date: read them in UTC, or New York would show the day before.
          const zone = dailyAxis() ? 'UTC' : props.current.zone;
          const date = formatMarketTime(t, zone, true);
          if (type === TickMarkType.Year) return date.slice(0, 4);
          if (type === TickMarkType.Month) return date.slice(0, 7);
          if (type === TickMarkType.DayOfMonth) return date.slice(5);
          return formatMarketHm(t, zone);
        },
      },
      crosshair: { mode: CrosshairMode.Normal },
      localization: { locale: 'en-US', timeFormatter: formatAxisTime },
    });
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      borderUpColor: COLORS.up,
      borderDownColor: COLORS.down,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
    });
    const volume = chart.addSeries(HistogramSeries, {
      priceFormat: { type: 'volume' },
      priceScaleId: 'volume',
      lastValueVisible: false,
      priceLineVisible: false,
    });
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.78, bottom: 0 } });
    const markers = createSeriesMarkers(candles, []);
    const parts: ChartParts = { chart, candles, volume, markers, patternLines: [], breakoutLines: [] };
    partsRef.current = parts;

    const model = modelRef.current;
    const drawLegend = () => {
      const legend = legendRef.current;
      if (!legend) return;
      const bars = model.bars;
      const hovered = hoverRef.current;
      const i = hovered === null ? bars.length - 1 : barIndexAtOrBefore(bars, hovered);
      const bar = bars[i];
      const { symbol: sym, timeframe: tf } = props.current;
      if (!bar || !sym) {
        legend.textContent = sym ? `${sym} · ${tf}` : '';
        return;
      }
      const d = priceDecimals(bar.c);
      const prev = bars[i - 1];
      const change = prev ? ((bar.c - prev.c) / prev.c) * 100 : null;
      legend.textContent =
        `${sym} · ${tf} · ${tf === '1d' ? formatMarketTime(bar.t, 'UTC', true) : formatMarketTime(bar.t, props.current.zone)}` +
        `  O ${formatPrice(bar.o, d)}  H ${formatPrice(bar.h, d)}  L ${formatPrice(bar.l, d)}  C ${formatPrice(bar.c, d)}` +
        `${change === null ? '' : ` (${change >= 0 ? '+' : ''}${change.toFixed(2)}%)`}  V ${formatVolume(bar.v)}`;
      legend.dataset.direction = bar.c >= bar.o ? 'up' : 'down';
    };
    /** Open time of the chart bar holding `t` (a coarser chart timeframe holds several scanned bars), or null. */
    const snap = (t: number): number | null => {
      const i = barIndexAtOrBefore(model.bars, t);
      return i >= 0 ? (model.bars[i] as Bar).t : null;
    };
    const drawMarkers = () => {
      const { symbol: sym, fills: all, patterns: marks } = props.current;
      const list: SeriesMarker<Time>[] = [];
      let fillCount = 0;
      let patternCount = 0;
      if (sym && model.bars.length > 0) {
        const mine = all.filter((f) => f.symbol === sym).slice(0, MAX_MARKERS);
        for (let k = mine.length - 1; k >= 0; k--) {
          const fill = mine[k] as Fill;
          const t = snap(fill.t);
          if (t !== null) list.push(markerOf(fill, t));
        }
        fillCount = list.length;
        for (const mark of marks) {
          const t = snap(mark.endT);
          if (t !== null) list.push(patternMarkerOf(mark, t));
        }
        patternCount = list.length - fillCount;
        list.sort((a, b) => (a.time as number) - (b.time as number));
      }
      markers.setMarkers(list);
      container.dataset.markers = String(fillCount);
      container.dataset.patternMarkers = String(patternCount);
    };
    const drawPatternLines = () => {
      for (const line of parts.patternLines) chart.removeSeries(line);
      for (const line of parts.breakoutLines) candles.removePriceLine(line);
      parts.patternLines = [];
      parts.breakoutLines = [];
      container.dataset.patternLines = '0';
      container.dataset.breakoutLines = '0';
      if (model.bars.length === 0) return;
      let breakouts = 0;
      for (const mark of props.current.patterns) {
        if (mark.category !== 'chart') continue;
        const color = PATTERN_COLORS[mark.direction];
        for (const line of mark.lines) {
          const from = snap(line.startT);
          const to = snap(line.endT);
          // On a coarser chart a short line may fall inside one candle: nothing to draw.
          if (from === null || to === null || to <= from) continue;
          const series = chart.addSeries(LineSeries, {
            color,
            lineWidth: 1,
            lineStyle: line.label === 'flagpole' ? LineStyle.Solid : LineStyle.Dashed,
            lastValueVisible: false,
            priceLineVisible: false,
            crosshairMarkerVisible: false,
            pointMarkersVisible: false,
            // Pattern lines sit inside the candles' range; they must not rescale the chart.
            autoscaleInfoProvider: () => null,
          });
          series.setData([
            { time: toTime(from), value: line.startPrice },
            { time: toTime(to), value: line.endPrice },
          ]);
          parts.patternLines.push(series);
        }
        if (mark.breakoutLevel !== null && breakouts < MAX_BREAKOUT_LINES) {
          breakouts++;
          parts.breakoutLines.push(
            candles.createPriceLine({
              price: mark.breakoutLevel,
              color,
              lineWidth: 1,
              lineStyle: LineStyle.Dotted,
              axisLabelVisible: true,
              // A breakout's level is the edge of the range it left; other patterns confirm when it breaks.
              title:
                mark.kind === 'breakout_up' || mark.kind === 'breakout_down' ? 'range edge' : `${mark.name} breakout`,
            }),
          );
        }
      }
      container.dataset.patternLines = String(parts.patternLines.length);
      container.dataset.breakoutLines = String(parts.breakoutLines.length);
    };
    const redraw = () => {
      // A trader scrolled back into history keeps the view; one watching the newest bars keeps following them.
      const following = chart.timeScale().scrollPosition() >= -2;
      candles.setData(model.bars.map(candleOf));
      volume.setData(model.bars.map(volumeOf));
      const last = model.bars.at(-1);
      if (last) {
        const d = priceDecimals(last.c);
        candles.applyOptions({ priceFormat: { type: 'price', precision: d, minMove: 10 ** -d } });
      }
      if (model.reposition || following) {
        model.reposition = false;
        const n = model.bars.length;
        // A fixed span of bars, even when fewer exist (a replay's first days): candles keep a readable width.
        const span = props.current.timeframe === '1d' ? VISIBLE_DAILY_BARS : VISIBLE_BARS;
        if (n > 0) chart.timeScale().setVisibleLogicalRange({ from: n - span, to: n + 6 });
      }
    };
    const flush = () => {
      if (model.loading) return;
      if (model.bars.length > MAX_BARS) {
        model.bars.splice(0, model.bars.length - (MAX_BARS - 1_000));
        model.redraw = true;
      }
      if (model.redraw) {
        model.redraw = false;
        model.dirty.clear();
        model.markersDirty = true;
        model.patternsDirty = true;
        redraw();
      } else if (model.dirty.size > 0) {
        const lastT = model.bars.at(-1)?.t ?? 0;
        const changed = [...model.dirty.values()].sort((a, b) => a.t - b.t);
        model.dirty.clear();
        try {
          for (const bar of changed) {
            const historical = bar.t < lastT;
            candles.update(candleOf(bar), historical);
            volume.update(volumeOf(bar), historical);
          }
        } catch {
          // A bar the chart never had (an out-of-order correction): draw everything again rather than lose it.
          redraw();
          model.markersDirty = true;
        }
      }
      if (model.markersDirty) {
        model.markersDirty = false;
        drawMarkers();
      }
      if (model.patternsDirty) {
        model.patternsDirty = false;
        drawPatternLines();
      }
      container.dataset.bars = String(model.bars.length);
      container.dataset.lastClose = String(model.bars.at(-1)?.c ?? '');
      drawLegend();
    };
    const batcher = new FrameBatcher(flush);
    batcherRef.current = batcher;

    const onCrosshair = (param: { time?: Time }) => {
      hoverRef.current = param.time === undefined ? null : (param.time as number) * 1000;
      drawLegend();
    };
    chart.subscribeCrosshairMove(onCrosshair);

    const resize = new ResizeObserver(() => {
      const { clientWidth, clientHeight } = container;
      if (clientWidth > 0 && clientHeight > 0) chart.resize(clientWidth, clientHeight);
    });
    resize.observe(container);

    return () => {
      resize.disconnect();
      batcher.dispose();
      batcherRef.current = null;
      chart.unsubscribeCrosshairMove(onCrosshair);
      partsRef.current = null;
      chart.remove();
    };
  }, []);

  // Live data: ticks grow the forming bar, completed bars replace it. Only the model changes here.
  useEffect(() => {
    const model = modelRef.current;
    let reloadTimer: ReturnType<typeof setTimeout> | null = null;
    // At most a few history reloads a second, however often the events ask for one.
    const requestReload = () => {
      if (reloadTimer !== null) return;
      reloadTimer = setTimeout(() => {
        reloadTimer = null;
        setReloads((n) => n + 1);
      }, RELOAD_MIN_GAP_MS);
    };
    const offTicks = api.events.onTicks(({ ticks, dropped }) => {
      if (model.loading) return;
      // A thinned batch (far above a thousand ticks a second) may skip whole bars: new bars then come only from
      // onBars (or the history), not from the ticks that happened to be kept.
      const thinned = dropped > 0;
      const { symbol: sym, timeframe: tf, zone } = props.current;
      let touched = false;
      for (const tick of ticks) {
        if (tick.symbol !== sym) continue;
        const t = barBucket(tick.t, tf, zone);
        const last = model.bars.at(-1);
        if (!last || t > last.t) {
          if (thinned) continue;
          upsert(model, { t, o: tick.price, h: tick.price, l: tick.price, c: tick.price, v: tick.size });
        } else {
          // A tick of the newest bar (or, rarely, a late one of an earlier bar): extend it in place.
          const i = last.t === t ? model.bars.length - 1 : barIndexAtOrBefore(model.bars, t);
          const bar = model.bars[i];
          if (!bar || bar.t !== t) continue;
          const next = {
            t,
            o: bar.o,
            h: Math.max(bar.h, tick.price),
            l: Math.min(bar.l, tick.price),
            c: i === model.bars.length - 1 ? tick.price : bar.c,
            v: bar.v + tick.size,
          };
          model.bars[i] = next;
          model.dirty.set(t, next);
        }
        touched = true;
      }
      if (touched) batcherRef.current?.schedule();
    });
    const offBars = api.events.onBars(({ bars, truncated }) => {
      const { symbol: sym, timeframe: tf } = props.current;
      if (truncated) {
        // Some completed bars were left out (max speed): the history is the only complete source.
        requestReload();
        return;
      }
      let touched = false;
      for (const event of bars) {
        if (event.symbol !== sym || event.timeframe !== tf) continue;
        if (model.loading) {
          model.held.push({ ...event.bar });
          continue;
        }
        // A completed bar between two drawn ones means the forming bar was placed in the wrong bucket: reload.
        if (!upsert(model, { ...event.bar })) requestReload();
        touched = true;
      }
      if (touched) {
        model.markersDirty = true;
        batcherRef.current?.schedule();
      }
    });
    const offSeries = api.events.onSeriesChanged((change) => {
      if (change.symbol === props.current.symbol) setReloads((n) => n + 1);
    });
    return () => {
      offTicks();
      offBars();
      offSeries();
      if (reloadTimer !== null) clearTimeout(reloadTimer);
    };
  }, []);

  // History: on a new symbol, timeframe or session, and whenever the market jumped.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey and reloads are triggers
  useEffect(() => {
    const model = modelRef.current;
    const key = `${symbol}|${timeframe}|${reloadKey.split('#')[0]}`;
    const newKey = model.key !== key;
    model.key = key;
    model.loading = true;
    model.held = [];
    model.dirty.clear();
    if (!symbol) {
      model.bars = [];
      model.loading = false;
      model.redraw = true;
      batcherRef.current?.schedule();
      return;
    }
    let live = true;
    api.market.bars({ symbol, timeframe, limit: HISTORY_BARS }).then((result) => {
      if (!live) return;
      if (!result.ok) {
        setLoadError(result.error.message);
        model.bars = [];
      } else {
        setLoadError(null);
        const bars = result.value.bars.map((b) => ({ ...b }));
        const forming = result.value.forming;
        if (forming && (bars.length === 0 || forming.t > (bars.at(-1) as Bar).t)) bars.push({ ...forming });
        model.bars = bars;
        const firstT = bars[0]?.t ?? Number.NEGATIVE_INFINITY;
        for (const bar of model.held) if (bar.t >= firstT) upsert(model, bar);
      }
      model.held = [];
      model.loading = false;
      model.redraw = true;
      // A new symbol, timeframe or session opens on its newest bars.
      if (newKey) model.reposition = true;
      batcherRef.current?.schedule();
    });
    return () => {
      live = false;
    };
  }, [symbol, timeframe, reloadKey, reloads]);

  // Fill markers follow the account's fills.
  // biome-ignore lint/correctness/useExhaustiveDependencies: fills and symbol are read through props.current
  useEffect(() => {
    modelRef.current.markersDirty = true;
    batcherRef.current?.schedule();
  }, [fills, symbol]);

  // Pattern marks and lines follow the patterns.
  // biome-ignore lint/correctness/useExhaustiveDependencies: patterns are read through props.current
  useEffect(() => {
    modelRef.current.markersDirty = true;
    modelRef.current.patternsDirty = true;
    batcherRef.current?.schedule();
  }, [patterns]);

  const symbolFills = symbol ? fills.filter((f) => f.symbol === symbol).slice(0, 20) : [];
  return (
    <div className="chart-wrap">
      <div className="chart-legend" ref={legendRef} data-testid="chart-legend" aria-live="off" />
      {simulated ? <span className="chart-sim-tag">Simulated market</span> : null}
      <div className="chart-canvas" ref={containerRef} data-testid="chart" data-symbol={symbol ?? ''} />
      {loadError ? (
        <p className="chart-error" role="alert">
          {loadError}
        </p>
      ) : null}
      {patterns.length > 0 ? (
        <ul className="pattern-legend" aria-label="Chart patterns" data-testid="pattern-legend">
          {patterns.map((m) => (
            <li
              key={m.id}
              className={`pattern-item pattern-${m.direction}`}
              data-testid="pattern-mark"
              data-kind={m.kind}
              data-end-t={m.endT}
              title={patternTitle(m)}
            >
              <span className="pattern-dot" aria-hidden="true" />
              <span className="pattern-name">{m.name}</span> {Math.round(m.confidence * 100)}%
              <span className="muted">
                {' '}
                · {m.direction}
                {m.category === 'chart' ? (m.confirmed ? ' · confirmed' : ' · not yet confirmed') : ''} ·{' '}
                {agoText(m.barsAgo)}
                {m.category === 'chart' && m.breakoutLevel !== null
                  ? ` · breakout ${formatPrice(m.breakoutLevel)}`
                  : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <ul className="sr-only" aria-label="Fill markers" data-testid="chart-markers">
        {symbolFills.map((f) => (
          <li key={f.id}>
            {f.side === 'buy' ? 'Buy' : 'Sell'} {formatQty(f.qty)} @ {formatPrice(fromE4(f.priceE4))}
          </li>
        ))}
      </ul>
      <span className="chart-credit">Charts: TradingView Lightweight Charts™</span>
    </div>
  );
}
