/**
 * The daily skeleton of the synthetic market: per trading day since the epoch, the regime, each factor's overnight
 * gap and open-to-close return, each symbol's open and close, its jumps and its traded volume. It is cheap (a few
 * numbers per symbol and day), so it is built from the epoch on demand, and any day's intraday path can then be
 * generated on its own (see intraday.ts), bridged to the skeleton's open and close. That is what makes seeking to
 * any date fast while a seed still names one single market.
 *
 * Volatility clusters through a GARCH(1,1) multiplier per factor (mean 1) on top of the regime's level. Each factor
 * and symbol draws from its own random stream keyed by the seed and its name.
 */
import type { Session } from '../sessions';
import { DAY_MS, usEquityCalendar } from '../sessions';
import { hashKey, Prng } from './prng';
import { idiosyncraticVol, MARKET_ANNUAL_VOL, SECTOR_VOL, type SymbolProfile } from './profiles';
import { nextRegime, REGIMES, type RegimeParams } from './regimes';

const TRADING_DAYS = 252;
/** Daily GARCH(1,1) on standardised shocks: clusters of volatility that decay over a few weeks. */
const GARCH_ALPHA = 0.08;
const GARCH_BETA = 0.9;
/** Share of daily variance that happens overnight (between the close and the next open). */
const OVERNIGHT_SHARE = 0.2;
/** Market-wide jumps: a few gaps per year at the open and a few intraday shocks (macro news). */
const MARKET_GAP_JUMPS_PER_YEAR = 1.5;
const MARKET_GAP_JUMP_SD = 0.025;
const MARKET_INTRADAY_JUMPS_PER_YEAR = 2;
const MARKET_INTRADAY_JUMP_SD = 0.012;
/** Idiosyncratic intraday jumps (a headline during the session), per symbol and year. */
const IDIO_INTRADAY_JUMPS_PER_YEAR = 1;
/** Log prices revert to the profile's anchor with a half-life of a year, so decades of simulation stay plausible. */
const REVERSION_PER_DAY = Math.LN2 / TRADING_DAYS;
/** Cap on a squared standardised shock fed back into GARCH, so one jump does not blow volatility up for months. */
const SHOCK_CAP = 16;
/** Degrees of freedom of the daily shocks: fat tails beyond what GARCH and regimes already give. */
const SHOCK_DOF = 5;

/** One day of the market factor. */
export interface MarketPlan {
  regime: number;
  /** Overnight log return of the market factor (close to open). */
  gap: number;
  /** Open-to-close log return of the market factor, including any intraday jump. */
  intra: number;
  /** Variance of the diffusive open-to-close part (what the intraday path spreads over the minutes). */
  intraVar: number;
  /** True when the gap includes a market-wide jump. */
  gapJump: boolean;
  /** Minute of the session with an intraday market jump, or -1. */
  jumpMinute: number;
  jumpSize: number;
}

/** One day of a sector factor. */
export interface FactorPlan {
  gap: number;
  intra: number;
  intraVar: number;
}

/** One day of one symbol. */
export interface SymbolPlan {
  /** Log of the opening print. */
  logOpen: number;
  /** Log of the latent closing price (the last print is within a tick of it). */
  logClose: number;
  /** Idiosyncratic part of the overnight gap, including an earnings-like jump. */
  gapIdio: number;
  /** The idiosyncratic jump in the gap (0 when none). */
  gapJump: number;
  /** Idiosyncratic open-to-close return, including the intraday jump and the slow reversion. */
  intraIdio: number;
  intraVar: number;
  jumpMinute: number;
  jumpSize: number;
  /** Shares traded in the session (before per-minute noise). */
  volume: number;
}

interface FactorState {
  rng: Prng;
  g: number;
  z2: number;
}

interface SectorSeries extends FactorState {
  vol: number;
  days: FactorPlan[];
}

interface SymbolSeries extends FactorState {
  profile: SymbolProfile;
  idioVol: number;
  days: SymbolPlan[];
}

function garch(state: FactorState, first: boolean): number {
  if (first) return 1;
  state.g = 1 - GARCH_ALPHA - GARCH_BETA + GARCH_ALPHA * Math.min(state.z2, SHOCK_CAP) + GARCH_BETA * state.g;
  return state.g;
}

/** The daily skeleton for one seed and one set of symbol profiles, extended from the epoch as far as needed. */
export class DailySkeleton {
  readonly sessions: Session[] = [];
  readonly market: MarketPlan[] = [];
  private readonly marketState: FactorState;
  private regime = 0;
  private readonly sectors = new Map<string, SectorSeries>();
  private readonly symbolSeries: SymbolSeries[] = [];
  private nextDay: number;

  constructor(
    readonly seed: number,
    profiles: readonly SymbolProfile[],
    readonly epochDay: number,
  ) {
    this.nextDay = epochDay;
    this.marketState = { rng: new Prng(hashKey(seed, 'skeleton', 'market')), g: 1, z2: 1 };
    for (const profile of profiles) {
      if (!this.sectors.has(profile.sector)) {
        this.sectors.set(profile.sector, {
          rng: new Prng(hashKey(seed, 'skeleton', 'sector', profile.sector)),
          g: 1,
          z2: 1,
          vol: SECTOR_VOL[profile.sector] ?? 0.1,
          days: [],
        });
      }
      this.symbolSeries.push({
        rng: new Prng(hashKey(seed, 'skeleton', 'symbol', profile.symbol)),
        g: 1,
        z2: 1,
        profile,
        idioVol: idiosyncraticVol(profile),
        days: [],
      });
    }
  }

  /** Number of sessions built so far. */
  get length(): number {
    return this.sessions.length;
  }

  /** Builds the skeleton until it has at least `count` sessions. */
  ensure(count: number): void {
    while (this.sessions.length < count) this.extend();
  }

  /** Builds the skeleton until its last session closes after `t`. */
  ensureTime(t: number): void {
    while (this.sessions.length === 0 || (this.sessions.at(-1) as Session).close <= t) this.extend();
  }

  sector(name: string): FactorPlan[] {
    return (this.sectors.get(name) as SectorSeries).days;
  }

  symbol(index: number): SymbolPlan[] {
    return (this.symbolSeries[index] as SymbolSeries).days;
  }

  regimeParams(dayIndex: number): RegimeParams {
    return REGIMES[(this.market[dayIndex] as MarketPlan).regime] as RegimeParams;
  }

  private extend(): void {
    let session: Session | null = null;
    while (!session) {
      session = usEquityCalendar.session(this.nextDay);
      this.nextDay += DAY_MS;
    }
    const index = this.sessions.length;
    const first = index === 0;
    const minutes = Math.round((session.close - session.open) / 60_000);
    this.sessions.push(session);

    // Market factor.
    const ms = this.marketState;
    if (!first) this.regime = nextRegime(this.regime, ms.rng);
    const regime = REGIMES[this.regime] as RegimeParams;
    const mVar = ((MARKET_ANNUAL_VOL * regime.volMult) ** 2 / TRADING_DAYS) * garch(ms, first);
    const drift = regime.driftAnnual / TRADING_DAYS;
    let gap = Math.sqrt(OVERNIGHT_SHARE * mVar) * ms.rng.studentT(SHOCK_DOF);
    const gapJump = ms.rng.chance((MARKET_GAP_JUMPS_PER_YEAR * regime.jumpMult) / TRADING_DAYS);
    if (gapJump) gap += MARKET_GAP_JUMP_SD * ms.rng.normal();
    const intraVar = (1 - OVERNIGHT_SHARE) * mVar;
    let intra = drift + Math.sqrt(intraVar) * ms.rng.studentT(SHOCK_DOF);
    let jumpMinute = -1;
    let jumpSize = 0;
    if (ms.rng.chance((MARKET_INTRADAY_JUMPS_PER_YEAR * regime.jumpMult) / TRADING_DAYS)) {
      jumpMinute = ms.rng.int(minutes);
      jumpSize = MARKET_INTRADAY_JUMP_SD * ms.rng.normal();
      intra += jumpSize;
    }
    ms.z2 = (gap + intra - drift) ** 2 / mVar;
    this.market.push({ regime: this.regime, gap, intra, intraVar, gapJump, jumpMinute, jumpSize });

    // Sector factors.
    for (const sector of this.sectors.values()) {
      if (sector.vol === 0) {
        sector.days.push({ gap: 0, intra: 0, intraVar: 0 });
        continue;
      }
      const v = ((sector.vol * Math.sqrt(regime.volMult)) ** 2 / TRADING_DAYS) * garch(sector, first);
      const sGap = Math.sqrt(OVERNIGHT_SHARE * v) * sector.rng.normal();
      const sIntraVar = (1 - OVERNIGHT_SHARE) * v;
      const sIntra = Math.sqrt(sIntraVar) * sector.rng.normal();
      sector.z2 = (sGap + sIntra) ** 2 / v;
      sector.days.push({ gap: sGap, intra: sIntra, intraVar: sIntraVar });
    }

    // Symbols.
    const market = this.market[index] as MarketPlan;
    for (const series of this.symbolSeries) {
      const { profile, rng } = series;
      const sectorDay = (this.sectors.get(profile.sector) as SectorSeries).days[index] as FactorPlan;
      const prevClose = first ? Math.log(profile.anchorPrice) : (series.days[index - 1] as SymbolPlan).logClose;
      const idioScale = 1 + 0.5 * (regime.volMult - 1);
      const v = ((series.idioVol * idioScale) ** 2 / TRADING_DAYS) * garch(series, first);
      let gapIdio = Math.sqrt(OVERNIGHT_SHARE * v) * rng.studentT(SHOCK_DOF);
      let gapJumpSize = 0;
      const jumpRate = (profile.jumpsPerYear * (1 + 0.5 * (regime.jumpMult - 1))) / TRADING_DAYS;
      if (profile.jumpSd > 0 && rng.chance(jumpRate)) {
        gapJumpSize = profile.jumpSd * rng.normal();
        gapIdio += gapJumpSize;
      }
      const idioIntraVar = (1 - OVERNIGHT_SHARE) * v;
      const reversion = REVERSION_PER_DAY * (Math.log(profile.anchorPrice) - prevClose);
      let intraIdio = reversion + Math.sqrt(idioIntraVar) * rng.studentT(SHOCK_DOF);
      let symJumpMinute = -1;
      let symJumpSize = 0;
      if (profile.jumpSd > 0 && rng.chance(IDIO_INTRADAY_JUMPS_PER_YEAR / TRADING_DAYS)) {
        symJumpMinute = rng.int(minutes);
        symJumpSize = 0.5 * profile.jumpSd * rng.normal();
        intraIdio += symJumpSize;
      }
      series.z2 = (gapIdio + intraIdio - reversion) ** 2 / v;
      const logOpen = prevClose + profile.beta * market.gap + sectorDay.gap + gapIdio;
      const logClose = logOpen + profile.beta * market.intra + sectorDay.intra + intraIdio;
      const dailySd = (profile.annualVol * regime.volMult) / Math.sqrt(TRADING_DAYS);
      const activity = 0.6 + 0.5 * Math.min(Math.abs(logClose - prevClose) / dailySd, 6);
      const volume =
        profile.avgDailyVolume * regime.volumeMult * activity * Math.exp(0.25 * rng.normal() - 0.03125) * 0.9;
      series.days.push({
        logOpen,
        logClose,
        gapIdio,
        gapJump: gapJumpSize,
        intraIdio,
        intraVar: idioIntraVar,
        jumpMinute: symJumpMinute,
        jumpSize: symJumpSize,
        volume,
      });
    }
  }
}
