import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  dayMonthPair,
  daysFromCivil,
  epochToMs,
  epochUnitOf,
  NO_OFFSET,
  newDateTimeValue,
  parseClock,
  parseDateTime,
} from './parse-time';
import { makeZoneConverter } from './time-zone';

function parse(text: string, dayFirst: boolean | null = null) {
  const b = Buffer.from(text, 'latin1');
  const out = newDateTimeValue();
  if (!parseDateTime(b, 0, b.length, dayFirst, out)) return null;
  return {
    wall: new Date(out.wallMs).toISOString(),
    offset: out.offsetMin === NO_OFFSET ? null : out.offsetMin,
    hasTime: out.hasTime,
  };
}

describe('parseDateTime', () => {
  it('reads the date formats of real files', () => {
    const day = (iso: string) => ({ wall: `${iso}T00:00:00.000Z`, offset: null, hasTime: false });
    expect(parse('2004-08-19')).toEqual(day('2004-08-19'));
    expect(parse('2018/10/15')).toEqual(day('2018-10-15'));
    expect(parse('2005.02.25')).toEqual(day('2005-02-25'));
    expect(parse('20050225')).toEqual(day('2005-02-25'));
    expect(parse('03/01/2005', true)).toEqual(day('2005-01-03'));
    expect(parse('03/18/2025', false)).toEqual(day('2025-03-18'));
    expect(parse('2-Jan-2020')).toEqual(day('2020-01-02'));
    expect(parse('Jan 02, 2020')).toEqual(day('2020-01-02'));
    expect(parse('02 January 2020')).toEqual(day('2020-01-02'));
    expect(parse('2020-Jan-02')).toEqual(day('2020-01-02'));
    expect(parse(' 2020-01-02 ')).toEqual(day('2020-01-02'));
  });

  it('reads times and UTC offsets', () => {
    expect(parse('2024-05-09 09:30:00-04:00')).toEqual({
      wall: '2024-05-09T09:30:00.000Z',
      offset: -240,
      hasTime: true,
    });
    expect(parse('2019-09-19 03:57:00')).toEqual({ wall: '2019-09-19T03:57:00.000Z', offset: null, hasTime: true });
    expect(parse('2020-01-02T14:30:15.250Z')).toEqual({ wall: '2020-01-02T14:30:15.250Z', offset: 0, hasTime: true });
    expect(parse('2020-01-02 09:30 +0530')?.offset).toBe(330);
    expect(parse('2020-01-02 09:30+05')?.offset).toBe(300);
    expect(parse('2020-01-02 09:30 UTC')?.offset).toBe(0);
    expect(parse('4/20/2021 1:02 PM', false)?.wall).toBe('2021-04-20T13:02:00.000Z');
    expect(parse('4/20/2021 12:02 AM', false)?.wall).toBe('2021-04-20T00:02:00.000Z');
  });

  it('refuses what is not a valid date', () => {
    for (const text of [
      '',
      '11:34',
      '2020-13-01',
      '2021-02-29',
      '2020-04-31',
      '20201301',
      '1568865420000',
      '02/01/20',
      'Foo 02, 2020',
      '2020-01-02 25:00',
      '2020-01-02 10:61',
      '2020-01-02 10:00 later',
      '2020-01-02x',
      '0999-01-01',
    ]) {
      expect(parse(text, true), text).toBeNull();
    }
    // a/b/yyyy needs the file-wide decision
    expect(parse('03/04/2020', null)).toBeNull();
    expect(parse('2020-02-29')).not.toBeNull();
  });

  it('agrees with Date.UTC on every calendar day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (y, m, d) => {
          expect(daysFromCivil(y, m, d) * DAY_MS).toBe(Date.UTC(y, m - 1, d));
          const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(parse(text)?.wall).toBe(new Date(Date.UTC(y, m - 1, d)).toISOString());
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('finds the day/month pair of a/b/yyyy dates only', () => {
    const pair = (text: string) => dayMonthPair(Buffer.from(text), 0, text.length);
    expect(pair('13/01/2005')).toBe(1301);
    expect(pair('3/18/2025 10:00')).toBe(318);
    expect(pair('2005-01-13')).toBe(-1);
    expect(pair('20050113')).toBe(-1);
  });
});

describe('parseClock and epochs', () => {
  it('reads time-of-day columns', () => {
    const clock = (text: string) => parseClock(Buffer.from(text), 0, text.length);
    expect(clock('000000')).toBe(0);
    expect(clock('153000')).toBe(15.5 * 3_600_000);
    expect(clock('0930')).toBe(9.5 * 3_600_000);
    expect(clock('15:30:00')).toBe(15.5 * 3_600_000);
    expect(clock('9:30')).toBe(9.5 * 3_600_000);
    expect(clock('246000')).toBe(-1);
    expect(clock('12:00Z')).toBe(-1);
    expect(clock('')).toBe(-1);
  });

  it('tells seconds, milliseconds, micro- and nanoseconds apart', () => {
    expect(epochUnitOf(1_568_865_420)).toBe(1000);
    expect(epochUnitOf(1_568_865_420_000)).toBe(1);
    expect(epochUnitOf(1_568_865_420_000_000)).toBe(0.001);
    expect(epochUnitOf(20_050_225)).toBe(0);
    expect(epochToMs(1_568_865_420, 1000)).toBe(Date.UTC(2019, 8, 19, 3, 57));
    expect(Number.isNaN(epochToMs(-5, 1))).toBe(true);
  });
});

describe('makeZoneConverter', () => {
  it('turns New York exchange time into UTC across daylight saving', () => {
    const ny = makeZoneConverter('America/New_York');
    expect(new Date(ny(Date.UTC(2024, 4, 9, 9, 30))).toISOString()).toBe('2024-05-09T13:30:00.000Z'); // EDT
    expect(new Date(ny(Date.UTC(2024, 0, 9, 9, 30))).toISOString()).toBe('2024-01-09T14:30:00.000Z'); // EST
    expect(new Date(ny(Date.UTC(2024, 2, 10, 3, 0))).toISOString()).toBe('2024-03-10T07:00:00.000Z'); // after the jump
    // 02:30 on the spring-forward day never shows on a New York clock: it is read as 03:30 EDT
    expect(new Date(ny(Date.UTC(2024, 2, 10, 2, 30))).toISOString()).toBe('2024-03-10T07:30:00.000Z');
    expect(makeZoneConverter('UTC')(123)).toBe(123);
  });

  it('agrees with Intl for random instants in several zones', () => {
    for (const zone of ['America/New_York', 'Europe/Warsaw', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      const convert = makeZoneConverter(zone);
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
      const wallOf = (instant: number) => {
        const p: Record<string, number> = {};
        for (const part of format.formatToParts(instant)) p[part.type] = Number(part.value);
        return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0);
      };
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(1990, 0, 1) / 60_000, max: Date.UTC(2040, 0, 1) / 60_000 }),
          (minute) => {
            const utc = minute * 60_000;
            const wall = wallOf(utc);
            // every wall time a clock in the zone shows maps back to an instant that shows the same wall time
            const back = convert(wall);
            expect(wallOf(back)).toBe(wall);
          },
        ),
        { numRuns: 300 },
      );
    }
  });

  it('refuses an unknown zone with its name', () => {
    expect(() => makeZoneConverter('Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });
});
