/**
 * Money in the broker and the ledger is an integer number of 1/10,000 of a dollar (suffix `E4`: `cashE4`,
 * `priceE4`). Cents would round sub-penny prices away (split-adjusted 1986 MSFT trades at $0.0672), and
 * micro-dollars overflow 2^53 too early. 2^53 units of 1e-4 dollars is about $900 billion, far above any paper
 * account. Never do float arithmetic on cash: convert at the edge with these helpers.
 */

export const E4 = 10_000;

/** Dollars (a float from market data or the user) to integer 1e-4 units, rounded half away from zero. */
export function toE4(dollars: number): number {
  if (!Number.isFinite(dollars)) throw new RangeError(`Not a finite amount: ${dollars}`);
  const scaled = dollars * E4;
  const rounded = Math.sign(scaled) * Math.round(Math.abs(scaled));
  if (!Number.isSafeInteger(rounded)) throw new RangeError(`Amount out of range: ${dollars}`);
  return rounded === 0 ? 0 : rounded;
}

/** Integer 1e-4 units to dollars, for display and analysis only. */
export function fromE4(amountE4: number): number {
  return amountE4 / E4;
}

/** Integer cents (settings) to E4 units. */
export function centsToE4(cents: number): number {
  return cents * 100;
}

/** qty × priceE4, checked against overflow. */
export function notionalE4(qty: number, priceE4: number): number {
  const value = qty * priceE4;
  if (!Number.isSafeInteger(value)) throw new RangeError(`Notional out of range: ${qty} × ${priceE4}`);
  return value;
}

/** "$1,234.56" (or "-$1,234.56"); sub-cent amounts keep up to 4 decimals. */
export function formatUsd(amountE4: number): string {
  const dollars = fromE4(amountE4);
  const abs = Math.abs(dollars);
  const decimals = abs !== 0 && abs < 1 ? 4 : 2;
  const text = abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: decimals });
  return `${dollars < 0 ? '-' : ''}$${text}`;
}
