/**
 * The synthetic market's only source of randomness: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * PractRand-clean, 2^128 state) seeded through splitmix32. `Math.random` is never used, so a seed names one market.
 *
 * Determinism hazard: normals come from the Marsaglia polar method (log and sqrt only, no trig), and prices go
 * through exp/log. V8 implements those with fdlibm ports, so Node and Electron give bit-identical results.
 */

/** splitmix32: one step of a 32-bit state; used to spread a seed over sfc32's state and to mix hashes. */
export function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A 32-bit hash of a seed and a list of names (FNV-1a over the text, then splitmix32). Each random stream of the
 * market (the market factor, a sector, a symbol, one day's intraday path) is seeded by its own key, so adding a
 * symbol to the watchlist does not change the path of the others.
 */
export function hashKey(seed: number, ...parts: ReadonlyArray<string | number>): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  // Seeds above 2^32 keep their high bits too.
  h = Math.imul(h ^ Math.floor(seed / 0x1_0000_0000), 0x01000193);
  for (const part of parts) {
    const text = typeof part === 'number' ? String(part) : part;
    for (let i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    }
    h = Math.imul(h ^ 0x1f, 0x01000193);
  }
  return splitmix32(h);
}

/** A seeded pseudo-random number generator with the distributions the synthetic market draws from. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    let s = seed >>> 0;
    s = splitmix32(s);
    this.a = s | 0;
    s = splitmix32(s);
    this.b = s | 0;
    s = splitmix32(s);
    this.c = s | 0;
    s = splitmix32(s);
    this.d = s | 0;
    // The first outputs of a freshly seeded sfc32 are weakly mixed; the reference implementation discards 12.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** Uniform in (0, 1]: safe to take the log of. */
  nextOpen(): number {
    return (this.nextUint32() + 1) / 4_294_967_296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /**
   * Student-t with `dof` degrees of freedom (an integer above 2), scaled to unit variance: the fat-tailed daily
   * shock of the market (dof 5 has kurtosis 9, close to what daily stock returns show).
   */
  studentT(dof: number): number {
    let chi2 = 0;
    for (let i = 0; i < dof; i++) {
      const z = this.normal();
      chi2 += z * z;
    }
    return (this.normal() / Math.sqrt(chi2 / dof)) * Math.sqrt((dof - 2) / dof);
  }

  /** Exponential with mean 1. */
  exponential(): number {
    return -Math.log(this.nextOpen());
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}
