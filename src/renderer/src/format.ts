/**
 * Display formatting for the desk. Money from the broker is integer E4 units (see shared/money.ts) and goes through
 * `formatUsd`; market prices are plain dollars and keep the decimals their size needs (split-adjusted 2004 AAPL
 * trades at $2.2507, so two decimals would hide real moves).
 */
import { fromE4 } from '../../shared/money';

/** Decimals a price of this size is shown with: 4 below $10, else 2. */
export function priceDecimals(price: number): number {
  return Math.abs(price) < 10 ? 4 : 2;
}

/** "187.25", "2.2507", "4,512.30"; an em dash for a missing price. */
export function formatPrice(price: number | null | undefined, decimals?: number): string {
  if (price === null || price === undefined || !Number.isFinite(price)) return '—';
  const d = decimals ?? priceDecimals(price);
  return price.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** A price in E4 units (orders, fills, positions). */
export function formatPriceE4(priceE4: number | null | undefined): string {
  return priceE4 === null || priceE4 === undefined ? '—' : formatPrice(fromE4(priceE4));
}

/** "+0.81" / "-2.86", with the decimals of the price it moved. */
export function formatChange(change: number | null, reference: number | null): string {
  if (change === null || !Number.isFinite(change)) return '—';
  const text = formatPrice(Math.abs(change), priceDecimals(reference ?? change));
  return `${change > 0 ? '+' : change < 0 ? '-' : ''}${text}`;
}

/** "+0.38%" / "-0.78%". */
export function formatPct(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return '—';
  return `${pct > 0 ? '+' : pct < 0 ? '-' : ''}${Math.abs(pct).toFixed(2)}%`;
}

/** "950", "12.3K", "4.51M", "1.2B". */
export function formatVolume(volume: number): string {
  const abs = Math.abs(volume);
  if (abs >= 1e9) return `${(volume / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${(volume / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(volume / 1e3).toFixed(1)}K`;
  return Math.round(volume).toLocaleString('en-US');
}

/** Whole numbers with grouping: "1,000". */
export function formatQty(qty: number): string {
  return qty.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/** The CSS class of a signed amount: green up, red down. */
export function signClass(value: number | null | undefined): string {
  if (value === null || value === undefined || value === 0 || !Number.isFinite(value)) return 'flat';
  return value > 0 ? 'up' : 'down';
}
