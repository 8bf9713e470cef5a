import { describe, expect, it } from 'vitest';
import { calendarDaysBetween, lastBusinessDays, newYorkTime, sessionAt } from './market-calendar';

describe('market calendar (New York time)', () => {
  it('knows the sessions in winter (EST) and summer (EDT)', () => {
    // Wednesday 10 January 2024: New York is UTC-5.
    expect(sessionAt(Date.UTC(2024, 0, 10, 14, 25))).toBe('pre');
    expect(sessionAt(Date.UTC(2024, 0, 10, 14, 30))).toBe('regular');
    expect(sessionAt(Date.UTC(2024, 0, 10, 20, 59))).toBe('regular');
    expect(sessionAt(Date.UTC(2024, 0, 10, 21, 0))).toBe('post');
    expect(sessionAt(Date.UTC(2024, 0, 11, 1, 0))).toBe('closed');
    expect(sessionAt(Date.UTC(2024, 0, 10, 8, 59))).toBe('closed');
    // Wednesday 10 July 2024: UTC-4.
    expect(sessionAt(Date.UTC(2024, 6, 10, 13, 30))).toBe('regular');
    expect(sessionAt(Date.UTC(2024, 6, 10, 13, 29))).toBe('pre');
    // Saturday.
    expect(sessionAt(Date.UTC(2024, 6, 13, 15, 0))).toBe('closed');
  });

  it('gives New York dates, business-day windows and calendar-day distances', () => {
    expect(newYorkTime(Date.UTC(2024, 0, 11, 3, 0)).day).toBe('2024-01-10');
    // Monday 11 March 2024 (the day after the DST change): the last five business days reach back to Tuesday.
    expect(lastBusinessDays(Date.UTC(2024, 2, 11, 15), 5)).toEqual([
      '2024-03-11',
      '2024-03-08',
      '2024-03-07',
      '2024-03-06',
      '2024-03-05',
    ]);
    expect(lastBusinessDays(Date.UTC(2024, 2, 10, 15), 1)).toEqual(['2024-03-08']);
    expect(calendarDaysBetween(Date.UTC(2024, 0, 1, 20), Date.UTC(2024, 0, 31, 4))).toBe(29);
    expect(calendarDaysBetween(Date.UTC(2024, 0, 31, 4), Date.UTC(2024, 0, 1, 20))).toBe(-29);
  });
});
