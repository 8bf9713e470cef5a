import { describe, expect, it } from 'vitest';
import { barBucket, formatMarketClock, formatMarketTime, marketZone, zonedToUtc, zoneOffsetMs } from './market-time';

const NY = 'America/New_York' as const;

describe('market zone', () => {
  it('shows US sessions in New York and crypto pairs in UTC', () => {
    expect(marketZone(null)).toBe(NY);
    expect(marketZone({ source: 'synthetic', symbols: ['BTC/USD'] })).toBe(NY);
    expect(marketZone({ source: 'imported', symbols: ['MSFT', 'AAPL'] })).toBe(NY);
    expect(marketZone({ source: 'imported', symbols: ['BTC/USD', 'ETH-USD'] })).toBe('UTC');
    expect(marketZone({ source: 'imported', symbols: ['BTC/USD', 'MSFT'] })).toBe(NY);
  });
});

describe('New York wall time', () => {
  it('knows the offset on both sides of daylight saving time', () => {
    expect(zoneOffsetMs(Date.parse('2025-01-02T14:30:00Z'), NY)).toBe(-5 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2025-07-01T13:30:00Z'), NY)).toBe(-4 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2025-07-01T13:30:00Z'), 'UTC')).toBe(0);
  });

  it('turns a New York date and time into the UTC instant, in winter and in summer', () => {
    expect(zonedToUtc('2025-01-02', '09:30', NY)).toBe(Date.parse('2025-01-02T14:30:00Z'));
    expect(zonedToUtc('2025-07-01', '09:30', NY)).toBe(Date.parse('2025-07-01T13:30:00Z'));
    // The Monday after the March change: 09:30 EDT.
    expect(zonedToUtc('2025-03-10', '09:30', NY)).toBe(Date.parse('2025-03-10T13:30:00Z'));
    expect(zonedToUtc('2025-03-10', '09:30', 'UTC')).toBe(Date.parse('2025-03-10T09:30:00Z'));
    expect(zonedToUtc('2025-13-10', '09:30', NY)).toBeNull();
    expect(zonedToUtc('', '09:30', NY)).toBeNull();
  });

  it('formats market time in the zone with its label', () => {
    const t = Date.parse('2025-01-02T14:31:05Z');
    expect(formatMarketClock(t, NY)).toBe('Thu 2025-01-02 09:31:05 ET');
    expect(formatMarketClock(t, 'UTC')).toBe('Thu 2025-01-02 14:31:05 UTC');
    expect(formatMarketTime(t, NY)).toBe('2025-01-02 09:31');
    // 00:00 UTC is still the previous evening in New York: why daily stamps are read in UTC.
    expect(formatMarketTime(Date.parse('2015-03-25T00:00:00Z'), NY, true)).toBe('2015-03-24');
    expect(formatMarketTime(Date.parse('2015-03-25T00:00:00Z'), 'UTC', true)).toBe('2015-03-25');
  });
});

describe('bar buckets of ticks', () => {
  const t = Date.parse('2025-01-02T15:47:31Z'); // 10:47:31 New York

  it('aligns minutes, 5 and 15 minutes to the clock', () => {
    expect(barBucket(t, '1m', NY)).toBe(Date.parse('2025-01-02T15:47:00Z'));
    expect(barBucket(t, '5m', NY)).toBe(Date.parse('2025-01-02T15:45:00Z'));
    expect(barBucket(t, '15m', NY)).toBe(Date.parse('2025-01-02T15:45:00Z'));
  });

  it('anchors US hours at :30 (10:30–11:30) and continuous markets at :00', () => {
    expect(barBucket(t, '1h', NY)).toBe(Date.parse('2025-01-02T15:30:00Z'));
    expect(barBucket(t, '1h', 'UTC')).toBe(Date.parse('2025-01-02T15:00:00Z'));
  });

  it('keys a day by 00:00 UTC of its local date', () => {
    expect(barBucket(t, '1d', NY)).toBe(Date.parse('2025-01-02T00:00:00Z'));
    // 20:30 New York on Jan 2 is 01:30 UTC on Jan 3: still Jan 2's trading day.
    expect(barBucket(Date.parse('2025-01-03T01:30:00Z'), '1d', NY)).toBe(Date.parse('2025-01-02T00:00:00Z'));
    expect(barBucket(Date.parse('2025-01-03T01:30:00Z'), '1d', 'UTC')).toBe(Date.parse('2025-01-03T00:00:00Z'));
  });
});
