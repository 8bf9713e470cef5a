import { AppError } from '../../../../shared/result';

/** The exchange zone that naive intraday timestamps of US equities are read in. */
export const US_EXCHANGE_ZONE = 'America/New_York';

/** Checks an IANA zone name; throws BAD_INPUT with the name when Intl does not know it. */
export function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new AppError(
      'BAD_INPUT',
      `Unknown time zone "${timeZone}": use an IANA name such as America/New_York, Europe/London or UTC`,
    );
  }
}

// Zone offsets only change on transitions that fall on whole quarter hours of UTC, so one lookup per bucket is
// exact and turns a million timestamps into a few thousand Intl calls.
const BUCKET_MS = 15 * 60_000;

/**
 * Converts wall-clock times of one zone (epoch ms read as if UTC) to true UTC. Times in a spring-forward gap
 * (which a clock in that zone never shows) move forward by the gap, as the exchange's own clock would.
 */
export function makeZoneConverter(timeZone: string): (wallMs: number) => number {
  const zone = checkTimeZone(timeZone);
  if (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT' || zone === 'Etc/GMT') return (wallMs) => wallMs;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const cache = new Map<number, number>();
  const offsetAt = (utcMs: number): number => {
    const bucket = Math.floor(utcMs / BUCKET_MS);
    let offset = cache.get(bucket);
    if (offset === undefined) {
      const instant = bucket * BUCKET_MS;
      const parts: Record<string, number> = {};
      for (const part of format.formatToParts(instant)) {
        if (part.type !== 'literal') parts[part.type] = Number(part.value);
      }
      const wall = Date.UTC(
        parts.year ?? 1970,
        (parts.month ?? 1) - 1,
        parts.day ?? 1,
        parts.hour ?? 0,
        parts.minute ?? 0,
        parts.second ?? 0,
      );
      offset = wall - instant;
      cache.set(bucket, offset);
    }
    return offset;
  };
  return (wallMs) => {
    const first = wallMs - offsetAt(wallMs);
    const second = offsetAt(first);
    const utc = wallMs - second;
    // In a gap the guesses disagree; the offset before the jump gives the time just after it (02:30 → 03:30).
    return offsetAt(utc) === second ? utc : first;
  };
}
