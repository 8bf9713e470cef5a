import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type PatternKind,
  patternAnswerSchema,
  patternHitSchema,
  patternKinds,
} from '../../../../shared/domain/analysis';
import type { Bar } from '../../../../shared/domain/market';
import { AppError } from '../../../../shared/result';
import { AAPL_DAILY, readBarsCsv } from '../internlm2/test-support/read-csv';
import { syntheticBars } from '../internlm2/test-support/synthetic';
import { answerFromHits, detectPatterns, findPattern, MODEL_VERSION } from './patterns';
import { candles, declineInto, pathBars } from './test-support/build-bars';

function expectBadInput(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('BAD_INPUT');
    expect((e as AppError).message).toMatch(message);
    return;
  }
  expect.fail('expected a BAD_INPUT AppError');
}

const bullFlag = pathBars(
  [
    [0, 100],
    [30, 100],
    [36, 112],
    [42, 109.5],
    [43, 113],
  ],
  { volume: (i) => (i > 30 && i <= 36 ? 3000 : i === 43 ? 2500 : 800) },
);

describe('detectPatterns', () => {
  it('is deterministic and leaves its input alone', () => {
    const bars = syntheticBars(800, { seed: 21 });
    const frozen = Object.freeze(bars.map((b) => Object.freeze({ ...b })));
    const a = detectPatterns(frozen);
    const b = detectPatterns(structuredClone(bars));
    expect(a.length).toBeGreaterThan(0);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(MODEL_VERSION).toMatch(/^moonshot-patterns-/);
  });

  it('sorts hits by end bar, then start bar, and filters by kind and confidence', () => {
    const bars = syntheticBars(600, { seed: 4 });
    const all = detectPatterns(bars, { minConfidence: 0 });
    for (let i = 1; i < all.length; i++) {
      const p = all[i - 1];
      const q = all[i];
      expect(p && q && (p.endIndex < q.endIndex || (p.endIndex === q.endIndex && p.startIndex <= q.startIndex))).toBe(
        true,
      );
    }
    const strong = detectPatterns(bars, { minConfidence: 0.6 });
    expect(strong.every((h) => h.confidence >= 0.6)).toBe(true);
    expect(strong.length).toBeLessThan(all.length);
    const onlyDoji = detectPatterns(bars, { kinds: ['doji'], minConfidence: 0 });
    expect(onlyDoji.every((h) => h.kind === 'doji')).toBe(true);
    expect(onlyDoji.length).toBe(all.filter((h) => h.kind === 'doji').length);
  });

  it('finds nothing with high confidence in flat noise', () => {
    let best = { confidence: 0, kind: '' };
    for (let seed = 1; seed <= 10; seed++) {
      const hits = detectPatterns(syntheticBars(500, { seed, mode: 'flat' }), { minConfidence: 0 });
      for (const h of hits) if (h.confidence > best.confidence) best = h;
    }
    // Flat noise is a trading range: engulfings and breakouts occur, but without a trend or follow-through.
    expect(best.confidence).toBeGreaterThan(0);
    expect(best.confidence, `best was ${best.kind}`).toBeLessThan(0.7);
  });

  it('returns nothing for fewer than three bars and refuses bad bars and options', () => {
    expect(detectPatterns(bullFlag.slice(0, 2))).toEqual([]);
    const swapped = [...bullFlag];
    [swapped[3], swapped[4]] = [swapped[4] as Bar, swapped[3] as Bar];
    expectBadInput(() => detectPatterns(swapped), /time order/);
    expectBadInput(() => detectPatterns([...bullFlag.slice(0, 5), { ...(bullFlag[5] as Bar), l: -1 }]), /Bar 5/);
    expectBadInput(() => detectPatterns(bullFlag, { kinds: ['cup_and_handle' as PatternKind] }), /Unknown pattern/);
    expectBadInput(() => detectPatterns(bullFlag, { minConfidence: 2 }), /minConfidence/);
    expectBadInput(() => detectPatterns(bullFlag, { flagMaxBars: 2.5 }), /flagMaxBars/);
  });
});

describe('findPattern', () => {
  it('answers yes for a bull flag that just broke out, with a reason naming its levels', () => {
    const answer = findPattern(bullFlag, 'bull_flag');
    expect(patternAnswerSchema.parse(answer)).toEqual(answer);
    expect(answer.found).toBe(true);
    expect(answer.confidence).toBe(answer.hit?.confidence);
    expect(answer.hit?.endIndex).toBe(bullFlag.length - 1);
    expect(answer.reason).toMatch(/^Bull flag at bars 31–43 .*pole .* ATR .*confirmed, broke \d+\.\d\d, target/);
  });

  it('answers no once the flag is old news, saying when the last one was', () => {
    const last = bullFlag.at(-1) as Bar;
    const later = Array.from({ length: 30 }, (_, k) => {
      const c = 113 + (k % 2 ? 0.2 : -0.2);
      return { t: last.t + (k + 1) * 86_400_000, o: 113, h: 113.6, l: 112.4, c, v: 800 };
    });
    const answer = findPattern([...bullFlag, ...later], 'bull_flag');
    expect(answer.found).toBe(false);
    expect(answer.confidence).toBe(0);
    expect(answer.hit).toBeNull();
    expect(answer.reason).toMatch(/No bull flag in the last 10 bars; the latest ended 30 bars ago \(Bull flag/);
    expect(findPattern([...bullFlag, ...later], 'bull_flag', { recentBars: 40 }).found).toBe(true);
  });

  it('answers a candlestick question about the last bars, and says when there are too few bars', () => {
    const bars = candles([...declineInto(100), [99.8, 100.1, 97.5, 100, 1500]]);
    const hammer = findPattern(bars, 'hammer');
    expect(hammer.found).toBe(true);
    expect(hammer.reason).toMatch(/^Hammer at bars 12–12/);
    const engulf = findPattern(bars, 'bearish_engulfing');
    expect(engulf).toMatchObject({ found: false, reason: 'No bearish engulfing anywhere in the 13 bars analysed' });
    expect(findPattern(bars.slice(0, 5), 'hammer').reason).toMatch(/Too few bars \(5\)/);
    expect(findPattern(bars, 'head_and_shoulders').reason).toMatch(/at least 20/);
    expectBadInput(() => findPattern(bars, 'teacup' as PatternKind), /Unknown pattern/);
  });
});

describe.skipIf(!fs.existsSync(AAPL_DAILY))('AAPL daily 2004–2018', () => {
  const bars = fs.existsSync(AAPL_DAILY) ? readBarsCsv(AAPL_DAILY) : [];

  it('finds a plausible spread of patterns, each a valid hit', () => {
    const hits = detectPatterns(bars);
    const counts = Object.fromEntries(patternKinds.map((k) => [k, 0])) as Record<PatternKind, number>;
    for (const h of hits) {
      counts[h.kind]++;
      expect(patternHitSchema.parse(h)).toEqual(h);
      expect(h.startIndex).toBeLessThanOrEqual(h.endIndex);
      expect(h.endIndex).toBeLessThan(bars.length);
      expect(h.startT).toBe(bars[h.startIndex]?.t);
      expect(h.endT).toBe(bars[h.endIndex]?.t);
    }
    console.log(`AAPL daily, ${bars.length} bars, ${hits.length} hits (confidence ≥ 0.3):`, counts);
    const seen = patternKinds.filter((k) => counts[k] > 0);
    expect(seen.length).toBeGreaterThanOrEqual(20);
    // Rare by nature: no kind on more than 5% of the bars.
    expect(Math.max(...Object.values(counts))).toBeLessThan(bars.length * 0.05);
  });

  it('takes well under a few milliseconds for 500 bars (measured, not asserted)', () => {
    const window = bars.slice(-500);
    for (let k = 0; k < 100; k++) detectPatterns(window);
    const runs = 500;
    const start = performance.now();
    for (let k = 0; k < runs; k++) detectPatterns(window);
    const ms = (performance.now() - start) / runs;
    console.log(`detectPatterns over 500 AAPL bars: ${ms.toFixed(3)} ms per call (mean of ${runs}, warm)`);
    expect(ms).toBeGreaterThan(0);
  });
});

describe.skipIf(!fs.existsSync(AAPL_DAILY))(`answerFromHits on real AAPL daily bars (${AAPL_DAILY})`, () => {
  it('answers exactly as findPattern does, from a full scan', () => {
    const bars = readBarsCsv(AAPL_DAILY).slice(-600);
    const hits = detectPatterns(bars);
    for (const kind of [
      'bull_flag',
      'bear_flag',
      'double_top',
      'double_bottom',
      'hammer',
      'doji',
      'breakout_up',
    ] as const) {
      for (const end of [300, 450, 600]) {
        const window = bars.slice(end - 300, end);
        expect(answerFromHits(kind, detectPatterns(window), window.length)).toEqual(findPattern(window, kind));
      }
    }
    expect(hits.length).toBeGreaterThan(0);
  });
});
