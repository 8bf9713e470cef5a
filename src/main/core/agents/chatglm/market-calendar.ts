import type { MarketSession } from '../../../../shared/domain/knowledge';

const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

interface NewYorkTime {
  /** Calendar date in New York, `YYYY-MM-DD`. */
  day: string;
  weekday: number;
  minuteOfDay: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall time in New York at a UTC instant (US exchanges keep New York time, with its daylight saving). */
export function newYorkTime(ms: number): NewYorkTime {
  const parts: Record<string, string> = {};
  for (const p of NEW_YORK.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/**
 * The US equity session at an instant: pre-market 4:00-9:30, regular 9:30-16:00, after-hours 16:00-20:00 New York
 * time on weekdays, closed otherwise. Exchange holidays and early closes are not known here.
 */
export function sessionAt(ms: number): MarketSession {
  const t = newYorkTime(ms);
  if (t.weekday === 0 || t.weekday === 6) return 'closed';
  if (t.minuteOfDay < 4 * 60) return 'closed';
  if (t.minuteOfDay < 9 * 60 + 30) return 'pre';
  if (t.minuteOfDay < 16 * 60) return 'regular';
  if (t.minuteOfDay < 20 * 60) return 'post';
  return 'closed';
}

/**
 * The New York dates of the last `count` business days up to and including the day of `ms` (weekdays only;
 * holidays are counted as business days, which can only make a rolling window stricter).
 */
export function lastBusinessDays(ms: number, count: number): string[] {
  const days: string[] = [];
  // Noon New York time of the day: stepping back whole days from there never crosses a DST edge into another date.
  const start = newYorkTime(ms);
  let cursor = Date.parse(`${start.day}T12:00:00Z`);
  while (days.length < count) {
    const d = new Date(cursor);
    const weekday = d.getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(d.toISOString().slice(0, 10));
    cursor -= 86_400_000;
  }
  return days;
}

/** Whole calendar days between two instants, by their New York dates (positive when `laterMs` is later). */
export function calendarDaysBetween(earlierMs: number, laterMs: number): number {
  const a = Date.parse(`${newYorkTime(earlierMs).day}T00:00:00Z`);
  const b = Date.parse(`${newYorkTime(laterMs).day}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}
