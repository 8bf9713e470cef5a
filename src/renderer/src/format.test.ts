import { describe, expect, it } from 'vitest';
import { formatChange, formatPct, formatPrice, formatPriceE4, formatVolume, priceDecimals, signClass } from './format';

describe('desk formatting', () => {
  it('shows prices with the decimals their size needs', () => {
    expect(priceDecimals(187.25)).toBe(2);
    expect(priceDecimals(2.250714)).toBe(4);
    expect(formatPrice(4512.3)).toBe('4,512.30');
    expect(formatPrice(2.250714)).toBe('2.2507');
    expect(formatPrice(null)).toBe('—');
    expect(formatPrice(Number.NaN)).toBe('—');
    expect(formatPriceE4(420_100)).toBe('42.01');
    expect(formatPriceE4(null)).toBe('—');
  });

  it('signs changes and percentages', () => {
    expect(formatChange(0.81, 211.51)).toBe('+0.81');
    expect(formatChange(-2.86, 362.23)).toBe('-2.86');
    expect(formatChange(-0.0123, 2.19)).toBe('-0.0123');
    expect(formatChange(0, 10)).toBe('0.00');
    expect(formatChange(null, 10)).toBe('—');
    expect(formatPct(0.3844)).toBe('+0.38%');
    expect(formatPct(-0.7834)).toBe('-0.78%');
    expect(formatPct(null)).toBe('—');
  });

  it('abbreviates volume and colours by sign', () => {
    expect(formatVolume(950)).toBe('950');
    expect(formatVolume(12_345)).toBe('12.3K');
    expect(formatVolume(4_512_000)).toBe('4.51M');
    expect(formatVolume(1_200_000_000)).toBe('1.20B');
    expect(signClass(3)).toBe('up');
    expect(signClass(-3)).toBe('down');
    expect(signClass(0)).toBe('flat');
    expect(signClass(null)).toBe('flat');
  });
});
