import { describe, expect, it } from 'vitest';
import {
  continuousCalendar,
  DAY_MS,
  formatDay,
  isUsMarketHoliday,
  newYorkDstBounds,
  newYorkOffsetMinutes,
  parseDay,
  sessionAtOrAfter,
  sessionBefore,
  sessionContaining,
  usEquityCalendar,
} from './sessions';

/** New York's UTC offset in minutes according to the ICU time zone database: an independent oracle. */
const icu = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});
function icuOffsetMinutes(t: number): number {
  const parts = Object.fromEntries(icu.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  return Math.round((local - Math.floor(t / 60_000) * 60_000) / 60_000);
}

const utc = (iso: string) => Date.parse(iso);

describe('New York time', () => {
  it('agrees with the ICU time zone database at every DST switch from 1976 to 2040', () => {
    for (let year = 1976; year <= 2040; year++) {
      if (year === 1974 || year === 1975) continue;
      for (const bound of newYorkDstBounds(year)) {
        for (const delta of [-3_600_000, -1, 0, 1, 3_600_000]) {
          expect(newYorkOffsetMinutes(bound + delta), `${new Date(bound + delta).toISOString()}`).toBe(
            icuOffsetMinutes(bound + delta),
          );
        }
      }
    }
  });

  it('agrees with the ICU time zone database on every day at the open and the close, 1990 to 2035', () => {
    for (let day = parseDay('1990-01-01'); day < parseDay('2035-12-31'); day += DAY_MS) {
      for (const t of [day + 13.5 * 3_600_000, day + 14.5 * 3_600_000, day + 21 * 3_600_000]) {
        expect(newYorkOffsetMinutes(t)).toBe(icuOffsetMinutes(t));
      }
    }
  });

  it('switches on the second Sunday of March and the first Sunday of November since 2007', () => {
    expect(newYorkDstBounds(2024)).toEqual([utc('2024-03-10T07:00:00Z'), utc('2024-11-03T06:00:00Z')]);
    expect(newYorkDstBounds(2006)).toEqual([utc('2006-04-02T07:00:00Z'), utc('2006-10-29T06:00:00Z')]);
  });
});

describe('US equity sessions', () => {
  const cal = usEquityCalendar;

  it('opens at 09:30 and closes at 16:00 New York time on both sides of a DST switch', () => {
    expect(cal.session(parseDay('2024-03-08'))).toEqual({
      day: parseDay('2024-03-08'),
      open: utc('2024-03-08T14:30:00Z'),
      close: utc('2024-03-08T21:00:00Z'),
      early: false,
    });
    expect(cal.session(parseDay('2024-03-11'))?.open).toBe(utc('2024-03-11T13:30:00Z'));
    expect(cal.session(parseDay('2024-11-01'))?.close).toBe(utc('2024-11-01T20:00:00Z'));
    expect(cal.session(parseDay('2024-11-04'))?.open).toBe(utc('2024-11-04T14:30:00Z'));
  });

  it('skips weekends', () => {
    expect(cal.session(parseDay('2024-03-09'))).toBeNull();
    expect(cal.session(parseDay('2024-03-10'))).toBeNull();
    expect(sessionAtOrAfter(cal, utc('2024-03-08T21:00:00Z')).day).toBe(parseDay('2024-03-11'));
    expect(sessionBefore(cal, utc('2024-03-11T13:30:00Z')).day).toBe(parseDay('2024-03-08'));
  });

  it('knows the NYSE holidays and early closes', () => {
    const closed2024 = [
      '2024-01-01',
      '2024-01-15',
      '2024-02-19',
      '2024-03-29',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-11-28',
      '2024-12-25',
    ];
    for (const d of closed2024) expect(cal.session(parseDay(d)), d).toBeNull();
    let open2024 = 0;
    for (let day = parseDay('2024-01-01'); day <= parseDay('2024-12-31'); day += DAY_MS) {
      if (cal.session(day)) open2024++;
    }
    expect(open2024).toBe(252);
    expect(cal.session(parseDay('2024-07-03'))).toMatchObject({ early: true, close: utc('2024-07-03T17:00:00Z') });
    expect(cal.session(parseDay('2024-11-29'))).toMatchObject({ early: true, close: utc('2024-11-29T18:00:00Z') });
    expect(cal.session(parseDay('2024-12-24'))?.early).toBe(true);
    // New Year's Day on a Saturday is not observed; Christmas on a Saturday is observed on Friday.
    expect(cal.session(parseDay('2021-12-31'))).not.toBeNull();
    expect(cal.session(parseDay('2021-12-24'))).toBeNull();
    // Juneteenth from 2022; special closures.
    expect(cal.session(parseDay('2021-06-18'))).not.toBeNull();
    expect(cal.session(parseDay('2022-06-20'))).toBeNull();
    expect(isUsMarketHoliday(parseDay('2025-01-09'))).toBe(true);
    expect(isUsMarketHoliday(parseDay('2012-10-29'))).toBe(true);
    expect(cal.session(parseDay('2026-07-03'))).toBeNull();
    expect(cal.session(parseDay('2026-07-02'))?.early).toBe(false);
  });

  it('names the trading day of an instant by its New York date', () => {
    // 23:30 New York on Jan 2 is 04:30 UTC on Jan 3.
    expect(formatDay(cal.dayOf(utc('2024-01-03T04:30:00Z')))).toBe('2024-01-02');
    expect(formatDay(cal.dayOf(utc('2024-01-03T05:00:00Z')))).toBe('2024-01-03');
    expect(cal.dayEnd(parseDay('2024-07-01'))).toBe(utc('2024-07-02T04:00:00Z'));
    expect(sessionContaining(cal, utc('2024-07-01T13:29:59Z'))).toBeNull();
    expect(sessionContaining(cal, utc('2024-07-01T13:30:00Z'))?.day).toBe(parseDay('2024-07-01'));
    expect(sessionContaining(cal, utc('2024-07-01T20:00:00Z'))).toBeNull();
  });
});

describe('continuous calendar', () => {
  it('trades every UTC day around the clock', () => {
    const s = continuousCalendar.session(parseDay('2024-03-09'));
    expect(s).toEqual({
      day: parseDay('2024-03-09'),
      open: parseDay('2024-03-09'),
      close: parseDay('2024-03-10'),
      early: false,
    });
    expect(continuousCalendar.dayOf(utc('2024-03-09T23:59:59Z'))).toBe(parseDay('2024-03-09'));
  });
});
