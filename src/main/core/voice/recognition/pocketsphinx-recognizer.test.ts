import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLanguage } from '../grammar/command-language';
import { normalizeWords } from '../grammar/normalize';
import { type SynthVoice, synthesisAvailability, synthesize } from '../testing/synthesize';
import { parseHypSeg } from './batch-decoder';
import { NoiseFloor, PocketSphinxRecognizer } from './pocketsphinx-recognizer';
import type { RecognitionResult } from './recognizer';

describe('parseHypSeg', () => {
  it('reads words, frames and scores', () => {
    const seg = parseHypSeg(
      'u3 S 0 T -5616 A -5279 L -337 0 -448 0 what 20 -201 0 is 35 -290 0 the 47 -1451 -337 <sil> 178',
    );
    expect(seg).toMatchObject({ uttId: 'u3', total: -5616, acoustic: -5279, lm: -337, frames: 178 });
    expect(seg?.words.map((w) => [w.word, w.startFrame, w.endFrame])).toEqual([
      ['what', 0, 20],
      ['is', 20, 35],
      ['the', 35, 47],
      ['<sil>', 47, 178],
    ]);
    expect(parseHypSeg('u4 S 0 T 0 A 0 L 0 258')).toMatchObject({ uttId: 'u4', words: [], frames: 0 });
    expect(parseHypSeg('garbage')).toBeNull();
  });
});

describe('NoiseFloor', () => {
  it('adds a -60 dBFS floor and keeps odd byte splits aligned', () => {
    const floor = new NoiseFloor();
    const silence = Buffer.alloc(32_001);
    const a = floor.apply(silence.subarray(0, 1001));
    const b = floor.apply(silence.subarray(1001));
    const out = Buffer.concat([a, b]);
    expect(out.length).toBe(32_000);
    let sum = 0;
    for (let i = 0; i < out.length; i += 2) sum += out.readInt16LE(i) ** 2;
    const rmsDb = 20 * Math.log10(Math.sqrt(sum / 16_000) / 32768);
    expect(rmsDb).toBeGreaterThan(-62);
    expect(rmsDb).toBeLessThan(-58);
  });
});

const synth = synthesisAvailability();
const recognizer = new PocketSphinxRecognizer();
const available = recognizer.available();

describe.skipIf(!synth.ok || !available.ok)(
  `PocketSphinx on generated speech (needs pocketsphinx, espeak-ng, festival, sox${available.ok ? '' : `: ${available.detail}`})`,
  () => {
    const festival: SynthVoice = { engine: 'festival', voice: 'kal_diphone', stretch: 1 };
    const espeak: SynthVoice = { engine: 'espeak-ng', voice: 'en-us', wpm: 165 };

    beforeAll(async () => {
      await recognizer.load(buildCommandLanguage({ watchlist: ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY'] }));
    }, 30_000);
    afterAll(async () => {
      await recognizer.close();
    });

    async function hear(pcm: Buffer): Promise<RecognitionResult> {
      const session = recognizer.begin();
      for (let i = 0; i < pcm.length; i += 3200) session.write(pcm.subarray(i, i + 3200));
      return session.end();
    }

    const canonical = (result: RecognitionResult) =>
      result.outOfGrammar || result.silence
        ? null
        : (normalizeWords(recognizer.grammar as NonNullable<typeof recognizer.grammar>, result.words)?.canonical ??
          null);

    it.each([
      ['buy ten shares of apple at market', 'buy 10 AAPL at market', festival],
      ['sell five tesla limit two hundred fifty', 'sell 5 TSLA limit 250', festival],
      ['what is the price of nvidia', 'what is the price of NVDA', festival],
      ['is this a bull flag on tesla', 'is this a bull flag on TSLA', festival],
      ['confirm', 'confirm', festival],
      ['quantity twenty', 'quantity 20', festival],
      ['should i buy tesla calls', 'should i buy TSLA calls', espeak],
    ] as const)(
      'hears "%s" as "%s"',
      async (text, expected, voice) => {
        const result = await hear(await synthesize(text, voice));
        expect(canonical(result)).toBe(expected);
        expect(result.confidence).toBeGreaterThan(0.5);
      },
      30_000,
    );

    it.each([
      ['open the settings window', festival],
      ['i think the market is crazy today', festival],
      ['my wife wants to sell the house', espeak],
      // A command phrase followed by more speech: the grammar can only call the rest silence.
      ['stop talking about the weather', { engine: 'espeak-ng', voice: 'en-us+f3', wpm: 175 }],
      ['repeat after me the alphabet song', festival],
    ] as const)(
      'rejects "%s" instead of returning the closest command',
      async (text, voice) => {
        const result = await hear(await synthesize(text, voice));
        expect(result.outOfGrammar).toBe(true);
        expect(result.confidence).toBeLessThan(0.5);
      },
      30_000,
    );

    it('calls silence silence', async () => {
      const result = await hear(Buffer.alloc(16_000 * 2));
      expect(result.silence).toBe(true);
      expect(result.words).toEqual([]);
    });

    it('rebuilds for a new watchlist while the old grammar keeps serving', async () => {
      const pcm = await synthesize('buy five r o k u at market', festival);
      expect(canonical(await hear(pcm))).not.toBe('buy 5 ROKU at market');
      const loading = recognizer.load(buildCommandLanguage({ watchlist: ['AAPL', 'TSLA', 'ROKU'] }));
      // Still answering with the old grammar while the new one warms up.
      const during = await hear(await synthesize('confirm', festival));
      expect(canonical(during)).toBe('confirm');
      await loading;
      expect(recognizer.language?.symbols).toContain('ROKU');
      expect(canonical(await hear(pcm))).toBe('buy 5 ROKU at market');
    }, 60_000);

    it('says so when a decoder dies, and comes back', async () => {
      for (const pid of ownDecoders()) process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      expect(() => recognizer.begin()).toThrow(/stopped|restarting|exited/);
      for (let i = 0; i < 100; i++) {
        try {
          recognizer.begin().abort();
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const result = await hear(await synthesize('what is the price of apple', festival));
      expect(canonical(result)).toBe('what is the price of AAPL');
    }, 60_000);
  },
);

/** The pocketsphinx_batch processes this test process started (our children only, read from /proc). */
function ownDecoders(): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (name.startsWith('pocketsphinx') && ppid === process.pid) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}
