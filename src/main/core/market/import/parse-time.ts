/**
 * Dates and timestamps straight from CSV bytes, without Date.parse or a regular expression per field:
 *
 * - `2024-05-09`, `2018/10/15`, `2005.02.25`, `20050225` (Stooq), `03/01/2005` and `03/18/2025` (day or month
 *   first: the caller decides for the whole file), `2-Jan-2020`, `Jan 02, 2020`, `2020-Jan-02`;
 * - optionally followed by a time (` ` or `T`): `09:30`, `09:30:00`, `09:30:00.123`, `1:05 PM`;
 * - optionally followed by a zone: `Z`, `UTC`, `GMT`, `-04:00`, `+0530`, `+05`.
 *
 * The result is the wall-clock time as if it were UTC (`wallMs`) plus the offset when the text has one, so the
 * caller can decide after seeing the whole file whether a bar is daily (keep the calendar date) or intraday
 * (convert the wall time to UTC).
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Marks a timestamp that carries no UTC offset. */
export const NO_OFFSET = -100_000;

/** Four-digit years only: a two-digit year is ambiguous (is 05 1905 or 2005?) and is refused. */
export const MIN_YEAR = 1000;
export const MAX_YEAR = 9999;

/** Where parsed values land, reused across calls so the hot loop allocates nothing. */
export interface DateTimeValue {
  /** The wall-clock date and time read as if it were UTC, in epoch ms. */
  wallMs: number;
  /** Minutes east of UTC written in the text, or {@link NO_OFFSET}. */
  offsetMin: number;
  /** Whether the text had a time of day. */
  hasTime: boolean;
}

export function newDateTimeValue(): DateTimeValue {
  return { wallMs: 0, offsetMin: NO_OFFSET, hasTime: false };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// Scratch space of the date scanner: up to three date parts, each a number (with its digit count) or a month name.
const partValue = [0, 0, 0];
const partLength = [0, 0, 0];
const partIsMonthName = [false, false, false];
let partCount = 0;

/** Month number (1-12) of a month name's first three letters (lowercased char codes), or 0. */
function monthOf(a: number, b: number, c: number): number {
  switch ((a << 16) | (b << 8) | c) {
    case 0x6a616e: // jan
      return 1;
    case 0x666562: // feb
      return 2;
    case 0x6d6172: // mar
      return 3;
    case 0x617072: // apr
      return 4;
    case 0x6d6179: // may
      return 5;
    case 0x6a756e: // jun
      return 6;
    case 0x6a756c: // jul
      return 7;
    case 0x617567: // aug
      return 8;
    case 0x736570: // sep
      return 9;
    case 0x6f6374: // oct
      return 10;
    case 0x6e6f76: // nov
      return 11;
    case 0x646563: // dec
      return 12;
    default:
      return 0;
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

function isLetter(c: number | undefined): boolean {
  return c !== undefined && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122));
}

function isDateSeparator(c: number | undefined): boolean {
  // - / . space ,
  return c === 45 || c === 47 || c === 46 || c === 32 || c === 44;
}

/** Scans the date part into the scratch parts; returns the offset after it, or -1 when it is not a date. */
function scanDate(b: Uint8Array, s: number, e: number): number {
  let p = s;
  partCount = 0;
  while (partCount < 3) {
    if (partCount > 0) {
      const before = p;
      while (p < e && isDateSeparator(b[p])) p++;
      if (p === before) return partCount === 1 && partLength[0] === 8 ? p : -1;
      // a separator followed by a time ("2024-05-09 09:30") means the date had fewer parts than needed
      if (p >= e) return -1;
    }
    const c = b[p];
    if (isDigit(c)) {
      let v = 0;
      let len = 0;
      while (p < e && isDigit(b[p])) {
        v = v * 10 + ((b[p] as number) - 48);
        len++;
        p++;
      }
      if (len > 8) return -1;
      partValue[partCount] = v;
      partLength[partCount] = len;
      partIsMonthName[partCount] = false;
      partCount++;
      if (partCount === 1 && len === 8) return p;
    } else if (isLetter(c)) {
      const start = p;
      while (p < e && isLetter(b[p])) p++;
      if (p - start < 3) return -1;
      const month = monthOf(
        (b[start] as number) | 0x20,
        (b[start + 1] as number) | 0x20,
        (b[start + 2] as number) | 0x20,
      );
      if (month === 0) return -1;
      partValue[partCount] = month;
      partLength[partCount] = p - start;
      partIsMonthName[partCount] = true;
      partCount++;
    } else {
      return -1;
    }
  }
  return p;
}

/**
 * For the whole-file day/month decision: when `bytes[s, e)` starts with a numeric `a/b/yyyy` date, returns
 * `a * 100 + b`; otherwise -1.
 */
export function dayMonthPair(b: Uint8Array, s: number, e: number): number {
  while (s < e && b[s] === 32) s++;
  if (scanDate(b, s, e) < 0 || partCount !== 3) return -1;
  if (partIsMonthName[0] || partIsMonthName[1] || partIsMonthName[2]) return -1;
  if ((partLength[0] as number) > 2 || (partLength[1] as number) > 2 || partLength[2] !== 4) return -1;
  return (partValue[0] as number) * 100 + (partValue[1] as number);
}

/**
 * Parses a date with an optional time and zone from `bytes[s, e)` into `out`. `dayFirst` decides `a/b/yyyy`
 * dates (null: such a date fails). Returns false when the text is not a valid date.
 */
export function parseDateTime(
  b: Uint8Array,
  s: number,
  e: number,
  dayFirst: boolean | null,
  out: DateTimeValue,
): boolean {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (s >= e) return false;
  let p = scanDate(b, s, e);
  if (p < 0) return false;
  let y: number;
  let m: number;
  let d: number;
  const v0 = partValue[0] as number;
  const v1 = partValue[1] as number;
  const v2 = partValue[2] as number;
  const n0 = partLength[0] as number;
  const n1 = partLength[1] as number;
  const n2 = partLength[2] as number;
  if (partCount === 1) {
    if (n0 !== 8 || partIsMonthName[0]) return false;
    y = Math.floor(v0 / 10_000);
    m = Math.floor(v0 / 100) % 100;
    d = v0 % 100;
  } else if (partCount !== 3) {
    return false;
  } else if (partIsMonthName[1]) {
    if (partIsMonthName[0] || partIsMonthName[2]) return false;
    m = v1;
    if (n0 === 4 && n2 <= 2) {
      y = v0;
      d = v2;
    } else if (n0 <= 2 && n2 === 4) {
      d = v0;
      y = v2;
    } else {
      return false;
    }
  } else if (partIsMonthName[0]) {
    if (partIsMonthName[2] || n1 > 2 || n2 !== 4) return false;
    m = v0;
    d = v1;
    y = v2;
  } else if (partIsMonthName[2]) {
    return false;
  } else if (n0 === 4 && n1 <= 2 && n2 <= 2) {
    y = v0;
    m = v1;
    d = v2;
  } else if (n0 <= 2 && n1 <= 2 && n2 === 4) {
    if (dayFirst === null) return false;
    y = v2;
    if (dayFirst) {
      d = v0;
      m = v1;
    } else {
      m = v0;
      d = v1;
    }
  } else {
    return false;
  }
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return false;

  let timeMs = 0;
  let hasTime = false;
  let offsetMin = NO_OFFSET;
  if (p < e) {
    // between date and time: "T", spaces, or ", " ("Jan 02, 2020, 09:30")
    const start = p;
    if (b[p] === 84 || b[p] === 116) p++;
    else while (p < e && (b[p] === 32 || b[p] === 44)) p++;
    if (p === start) return false;
    const t = scanTime(b, p, e);
    if (t < 0) return false;
    timeMs = t;
    hasTime = true;
    p = scanEnd;
    offsetMin = scanOffset;
    if (p !== e) return false;
  }
  out.wallMs = daysFromCivil(y, m, d) * DAY_MS + timeMs;
  out.offsetMin = offsetMin;
  out.hasTime = hasTime;
  return true;
}

let scanEnd = 0;
let scanOffset = NO_OFFSET;

/**
 * Scans `hh:mm[:ss[.fff]] [AM|PM] [zone]` from p; returns ms since midnight (or -1) and leaves the end offset in
 * `scanEnd` and the zone's offset in `scanOffset`.
 */
function scanTime(b: Uint8Array, p: number, e: number): number {
  scanOffset = NO_OFFSET;
  let hh = 0;
  let len = 0;
  while (p < e && isDigit(b[p]) && len < 3) {
    hh = hh * 10 + ((b[p] as number) - 48);
    p++;
    len++;
  }
  if (len === 0 || len > 2 || b[p] !== 58) return -1;
  p++;
  const mm = twoDigits(b, p, e);
  if (mm < 0) return -1;
  p += 2;
  let ss = 0;
  let ms = 0;
  if (b[p] === 58 && p < e) {
    ss = twoDigits(b, p + 1, e);
    if (ss < 0) return -1;
    p += 3;
    if (p < e && (b[p] === 46 || b[p] === 44) && isDigit(b[p + 1])) {
      p++;
      let scale = 100;
      while (p < e && isDigit(b[p])) {
        ms += ((b[p] as number) - 48) * scale;
        scale /= 10;
        p++;
      }
      ms = Math.floor(ms);
    }
  }
  while (p < e && b[p] === 32) p++;
  // 12-hour clock
  const c = b[p];
  if ((c === 65 || c === 97 || c === 80 || c === 112) && (b[p + 1] === 77 || b[p + 1] === 109)) {
    if (hh < 1 || hh > 12) return -1;
    const pm = c === 80 || c === 112;
    hh = (hh % 12) + (pm ? 12 : 0);
    p += 2;
    while (p < e && b[p] === 32) p++;
  }
  if (hh > 23 || mm > 59 || ss > 59) return -1;
  if (p < e) {
    const z = b[p];
    if (z === 90 || z === 122) {
      scanOffset = 0;
      p++;
    } else if (
      (z === 85 && b[p + 1] === 84 && b[p + 2] === 67) || // UTC
      (z === 71 && b[p + 1] === 77 && b[p + 2] === 84) // GMT
    ) {
      scanOffset = 0;
      p += 3;
      if (p < e && (b[p] === 43 || b[p] === 45)) {
        const off = scanOffsetAt(b, p, e);
        if (off === null) return -1;
        scanOffset = off;
        p = scanEnd;
      }
    } else if (z === 43 || z === 45) {
      const off = scanOffsetAt(b, p, e);
      if (off === null) return -1;
      scanOffset = off;
      p = scanEnd;
    }
  }
  scanEnd = p;
  return ((hh * 60 + mm) * 60 + ss) * 1000 + ms;
}

/** `+hh`, `+hhmm` or `+hh:mm` at p; minutes east of UTC, the end in `scanEnd`. */
function scanOffsetAt(b: Uint8Array, p: number, e: number): number | null {
  const sign = b[p] === 45 ? -1 : 1;
  p++;
  const hh = twoDigits(b, p, e);
  if (hh < 0 || hh > 18) return null;
  p += 2;
  let mm = 0;
  if (p < e && b[p] === 58) p++;
  if (p < e && isDigit(b[p])) {
    mm = twoDigits(b, p, e);
    if (mm < 0 || mm > 59) return null;
    p += 2;
  }
  scanEnd = p;
  return sign * (hh * 60 + mm);
}

function twoDigits(b: Uint8Array, p: number, e: number): number {
  if (p + 2 > e) return -1;
  const a = b[p];
  const c = b[p + 1];
  if (!isDigit(a) || !isDigit(c)) return -1;
  return ((a as number) - 48) * 10 + ((c as number) - 48);
}

/**
 * A time-of-day column (Stooq's `<TIME>` = `153000`, or `15:30`, `15:30:00`): ms since midnight, or -1.
 */
export function parseClock(b: Uint8Array, s: number, e: number): number {
  while (s < e && b[s] === 32) s++;
  while (e > s && b[e - 1] === 32) e--;
  if (s >= e) return -1;
  let colon = false;
  for (let i = s; i < e; i++) {
    if (b[i] === 58) colon = true;
    else if (!isDigit(b[i])) return -1;
  }
  if (colon) {
    const t = scanTime(b, s, e);
    return t >= 0 && scanEnd === e && scanOffset === NO_OFFSET ? t : -1;
  }
  const len = e - s;
  if (len !== 6 && len !== 4) return -1;
  const hh = twoDigits(b, s, e);
  const mm = twoDigits(b, s + 2, e);
  const ss = len === 6 ? twoDigits(b, s + 4, e) : 0;
  if (hh > 23 || mm > 59 || ss > 59) return -1;
  return ((hh * 60 + mm) * 60 + ss) * 1000;
}

/**
 * An epoch number in a known unit (1 = ms, 1000 = seconds): UTC ms, or NaN when it is not a whole number in the
 * supported years.
 */
export function epochToMs(value: number, unitMs: number): number {
  if (!Number.isFinite(value)) return Number.NaN;
  const ms = Math.round(value * unitMs);
  return ms >= EPOCH_MIN_MS && ms <= EPOCH_MAX_MS ? ms : Number.NaN;
}

/** The unit of an epoch column judged from one value: seconds, ms, µs or ns since 1970; 0 when none fits. */
export function epochUnitOf(value: number): number {
  for (const unit of [1000, 1, 0.001, 0.000001]) {
    const ms = value * unit;
    if (ms >= Date.UTC(1980, 0, 1) && ms <= Date.UTC(2200, 0, 1)) return unit;
  }
  return 0;
}

const EPOCH_MIN_MS = 0;
const EPOCH_MAX_MS = daysFromCivil(MAX_YEAR, 1, 1) * DAY_MS;

/** `2024-05-09` (daily) or `2024-05-09T13:30Z` (intraday) for messages and summaries. */
export function formatTime(t: number, daily: boolean): string {
  const iso = new Date(t).toISOString();
  if (daily) return iso.slice(0, 10);
  return iso.endsWith(':00.000Z') ? `${iso.slice(0, 16)}Z` : iso;
}
