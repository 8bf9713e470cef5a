/**
 * One trading day of the synthetic market in full detail: every trade print of every symbol, and the 1m bars they
 * aggregate into. The day is generated on its own from its skeleton (skeleton.ts): each factor's minute path is a
 * Brownian bridge, in variance time, from the day's open to its close, with a U-shaped intraday volatility profile
 * and a minute-level GARCH multiplier, so volatility clusters within the day too. Inside a minute, prints arrive at
 * random times, their count and sizes follow a U-shaped volume profile that also rises with the minute's activity,
 * and their prices follow a bridge between the minute's latent start and end prices, rounded to the cent.
 */
import type { Session } from '../sessions';
import { hashKey, Prng } from './prng';
import type { SymbolProfile } from './profiles';
import type { DailySkeleton, FactorPlan, MarketPlan, SymbolPlan } from './skeleton';

/** Minute-level GARCH(1,1) on standardised shocks (half-life of about half an hour). */
const MINUTE_ALPHA = 0.1;
const MINUTE_BETA = 0.85;
const MINUTE_SHOCK_CAP = 25;
const MAX_TICKS_PER_MINUTE = 600;

/** The prints and 1m bars of one symbol on one day. Bar `m` opens at `session.open + m * 60_000`. */
export interface SymbolDay {
  symbol: string;
  o: Float64Array;
  h: Float64Array;
  l: Float64Array;
  c: Float64Array;
  v: Float64Array;
  /** Prints of minute `m` are at indices `tickStart[m]` to `tickStart[m + 1] - 1`. */
  tickStart: Int32Array;
  tickT: Float64Array;
  tickPrice: Float64Array;
  tickSize: Float64Array;
}

/** Every symbol's prints and 1m bars on one session of the synthetic market. */
export interface GeneratedDay {
  /** Index of the session since the synthetic epoch. */
  index: number;
  session: Session;
  minutes: number;
  regime: number;
  /** In the market's symbol order. */
  symbols: SymbolDay[];
}

interface Profiles {
  vol: Float64Array;
  volume: Float64Array;
}

const profileCache = new Map<number, Profiles>();

/**
 * U-shaped intraday profiles for a session of `minutes` minutes, each summing to 1: volatility is highest in the
 * first half hour and rises again into the close; volume spikes at the open and more at the close (the closing
 * auction and index rebalancing), with a lunchtime lull.
 */
export function intradayProfiles(minutes: number): Profiles {
  const cached = profileCache.get(minutes);
  if (cached) return cached;
  const vol = new Float64Array(minutes);
  const volume = new Float64Array(minutes);
  let sumVol = 0;
  let sumVolume = 0;
  for (let m = 0; m < minutes; m++) {
    const fromOpen = m;
    const toClose = minutes - 1 - m;
    const x = (2 * m) / Math.max(minutes - 1, 1) - 1;
    const v = 1 + 2.2 * Math.exp(-fromOpen / 18) + 0.6 * Math.exp(-toClose / 25) + 0.35 * x * x;
    const w = 1 + 3 * Math.exp(-fromOpen / 15) + 2.5 * Math.exp(-toClose / 18) + 0.8 * x * x;
    vol[m] = v;
    volume[m] = w;
    sumVol += v;
    sumVolume += w;
  }
  for (let m = 0; m < minutes; m++) {
    vol[m] = (vol[m] as number) / sumVol;
    volume[m] = (volume[m] as number) / sumVolume;
  }
  const result = { vol, volume };
  profileCache.set(minutes, result);
  return result;
}

/** A factor's minute path for the day: increments that sum to `target`, their variances, and the jump. */
interface MinutePath {
  y: Float64Array;
  variance: Float64Array;
}

function minutePath(
  rng: Prng,
  minutes: number,
  volProfile: Float64Array,
  dayVar: number,
  target: number,
  jumpMinute: number,
  jumpSize: number,
): MinutePath {
  const y = new Float64Array(minutes);
  const variance = new Float64Array(minutes);
  if (dayVar <= 0) return { y, variance };
  let q = 1;
  let sum = 0;
  let sumVar = 0;
  for (let m = 0; m < minutes; m++) {
    const s2 = dayVar * (volProfile[m] as number) * q;
    const z = rng.normal();
    const x = Math.sqrt(s2) * z;
    y[m] = x;
    variance[m] = s2;
    sum += x;
    sumVar += s2;
    q = 1 - MINUTE_ALPHA - MINUTE_BETA + MINUTE_ALPHA * Math.min(z * z, MINUTE_SHOCK_CAP) + MINUTE_BETA * q;
  }
  // Bridge in variance time: the path ends exactly at the skeleton's open-to-close return.
  const diffusionTarget = target - jumpSize;
  const excess = sum - diffusionTarget;
  for (let m = 0; m < minutes; m++) {
    y[m] = (y[m] as number) - ((variance[m] as number) / sumVar) * excess;
  }
  if (jumpMinute >= 0) y[jumpMinute] = (y[jumpMinute] as number) + jumpSize;
  return { y, variance };
}

/** Rounds a price to the tick size: a cent, or 1/100 of a cent below $1. */
export function roundPrice(price: number): number {
  return price >= 1 ? Math.round(price * 100) / 100 : Math.round(price * 10_000) / 10_000;
}

/** Generates one day of every symbol from the skeleton. Pure: the same inputs always give the same day. */
export function generateDay(
  seed: number,
  skeleton: DailySkeleton,
  profiles: readonly SymbolProfile[],
  index: number,
): GeneratedDay {
  skeleton.ensure(index + 1);
  const session = skeleton.sessions[index] as Session;
  const market = skeleton.market[index] as MarketPlan;
  const minutes = Math.round((session.close - session.open) / 60_000);
  const { vol: volProfile, volume: volumeProfile } = intradayProfiles(minutes);
  const day = session.day;

  const marketPath = minutePath(
    new Prng(hashKey(seed, 'intraday', 'market', day)),
    minutes,
    volProfile,
    market.intraVar,
    market.intra,
    market.jumpMinute,
    market.jumpSize,
  );
  const sectorPaths = new Map<string, MinutePath>();
  for (const profile of profiles) {
    if (sectorPaths.has(profile.sector)) continue;
    const plan = skeleton.sector(profile.sector)[index] as FactorPlan;
    sectorPaths.set(
      profile.sector,
      minutePath(
        new Prng(hashKey(seed, 'intraday', 'sector', profile.sector, day)),
        minutes,
        volProfile,
        plan.intraVar,
        plan.intra,
        -1,
        0,
      ),
    );
  }

  const symbols = profiles.map((profile, i) => {
    const plan = skeleton.symbol(i)[index] as SymbolPlan;
    const rng = new Prng(hashKey(seed, 'intraday', 'symbol', profile.symbol, day));
    const idio = minutePath(rng, minutes, volProfile, plan.intraVar, plan.intraIdio, plan.jumpMinute, plan.jumpSize);
    const sector = sectorPaths.get(profile.sector) as MinutePath;
    return generateSymbolDay(rng, profile, plan, session, minutes, volumeProfile, marketPath, sector, idio);
  });

  return { index, session, minutes, regime: market.regime, symbols };
}

function generateSymbolDay(
  rng: Prng,
  profile: SymbolProfile,
  plan: SymbolPlan,
  session: Session,
  minutes: number,
  volumeProfile: Float64Array,
  market: MinutePath,
  sector: MinutePath,
  idio: MinutePath,
): SymbolDay {
  const beta = profile.beta;
  const beta2 = beta * beta;
  const o = new Float64Array(minutes);
  const h = new Float64Array(minutes);
  const l = new Float64Array(minutes);
  const c = new Float64Array(minutes);
  const v = new Float64Array(minutes);
  const tickStart = new Int32Array(minutes + 1);
  let capacity = Math.max(1024, Math.ceil(minutes * profile.ticksPerMinute * 1.5));
  let tickT = new Float64Array(capacity);
  let tickPrice = new Float64Array(capacity);
  let tickSize = new Float64Array(capacity);
  let count = 0;

  // Scratch space for one minute's print times and bridge values.
  const tau = new Float64Array(MAX_TICKS_PER_MINUTE + 1);
  const weight = new Float64Array(MAX_TICKS_PER_MINUTE);

  let logPrice = plan.logOpen;
  for (let m = 0; m < minutes; m++) {
    const r = beta * (market.y[m] as number) + (sector.y[m] as number) + (idio.y[m] as number);
    const varM = beta2 * (market.variance[m] as number) + (sector.variance[m] as number) + (idio.variance[m] as number);
    const sd = Math.sqrt(varM);
    const activity = sd > 0 ? Math.min(Math.abs(r) / sd, 8) : 0.8;
    const intensity =
      profile.ticksPerMinute *
      (volumeProfile[m] as number) *
      minutes *
      (0.55 + 0.55 * activity) *
      (0.6 + 0.8 * rng.next());
    const k = Math.max(1, Math.min(MAX_TICKS_PER_MINUTE, Math.round(intensity)));
    const minuteVolume =
      plan.volume * (volumeProfile[m] as number) * (0.5 + 0.6 * activity) * Math.exp(0.3 * rng.normal() - 0.045);

    // Print times: sorted uniforms from normalised exponential spacings. The session's first print is at the bell
    // (τ = 0), so it prints exactly the skeleton's open.
    let acc = 0;
    for (let j = 0; j < k; j++) {
      acc += rng.exponential();
      tau[j] = acc;
    }
    acc += rng.exponential();
    for (let j = 0; j < k; j++) tau[j] = (tau[j] as number) / acc;
    if (m === 0) tau[0] = 0;

    let weightSum = 0;
    for (let j = 0; j < k; j++) {
      const w = rng.exponential();
      weight[j] = w;
      weightSum += w;
    }

    if (count + k > capacity) {
      capacity = Math.max(capacity * 2, count + k);
      const grow = (a: Float64Array) => {
        const b = new Float64Array(capacity);
        b.set(a.subarray(0, count));
        return b;
      };
      tickT = grow(tickT);
      tickPrice = grow(tickPrice);
      tickSize = grow(tickSize);
    }

    // Brownian bridge from logPrice (τ = 0) to logPrice + r (τ = 1) through the print times.
    const minuteStart = session.open + m * 60_000;
    let w = 0;
    let prevTau = 0;
    const start = count;
    for (let j = 0; j < k; j++) {
      const t = tau[j] as number;
      w += Math.sqrt(varM * (t - prevTau)) * rng.normal();
      prevTau = t;
      tickT[count] = minuteStart + Math.min(59_999, Math.floor(t * 60_000));
      tickPrice[count] = w; // provisional: the free path, corrected below
      count++;
    }
    const wEnd = w + Math.sqrt(varM * (1 - prevTau)) * rng.normal();
    const correction = wEnd - r;
    let hi = 0;
    let lo = Number.POSITIVE_INFINITY;
    let vol = 0;
    for (let j = 0; j < k; j++) {
      const idx = start + j;
      const price = roundPrice(Math.exp(logPrice + (tickPrice[idx] as number) - (tau[j] as number) * correction));
      tickPrice[idx] = price;
      const size = Math.max(1, Math.round((minuteVolume * (weight[j] as number)) / weightSum));
      tickSize[idx] = size;
      vol += size;
      if (price > hi) hi = price;
      if (price < lo) lo = price;
    }
    o[m] = tickPrice[start] as number;
    c[m] = tickPrice[count - 1] as number;
    h[m] = hi;
    l[m] = lo;
    v[m] = vol;
    tickStart[m + 1] = count;
    logPrice += r;
  }

  return {
    symbol: profile.symbol,
    o,
    h,
    l,
    c,
    v,
    tickStart,
    tickT: tickT.subarray(0, count),
    tickPrice: tickPrice.subarray(0, count),
    tickSize: tickSize.subarray(0, count),
  };
}
