import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../testing/fixtures';
import {
  calibrateNeutralBand,
  evaluate,
  labelScores,
  loadPhraseBank,
  loadTweets,
  majorityBaseline,
  splitHalves,
} from './evaluation';
import { DEFAULT_NEUTRAL_BAND, scoreText } from './sentiment-model';

const NEWS_DIR = path.join(SHARED_DATA, 'news');
const PHRASEBANK = path.join(NEWS_DIR, 'FinancialPhraseBank-v1.0', 'Sentences_AllAgree.txt');
const TWEETS = path.join(NEWS_DIR, 'twitter-financial-news-sentiment', 'sent_valid.csv');

describe('evaluate', () => {
  it('computes accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix', () => {
    const m = evaluate(['positive', 'positive', 'negative', 'neutral'], ['positive', 'neutral', 'negative', 'neutral']);
    expect(m.accuracy).toBe(0.75);
    expect(m.perClass.positive).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(m.perClass.neutral).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(m.perClass.negative.f1).toBe(1);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 1) / 3, 10);
    expect(m.confusion.positive).toEqual({ positive: 1, negative: 0, neutral: 1 });
  });

  it('has a majority baseline whose macro-F1 is that of one class', () => {
    const b = majorityBaseline(['neutral', 'neutral', 'positive']);
    expect(b.majority).toBe('neutral');
    expect(b.accuracy).toBeCloseTo(2 / 3, 10);
    expect(b.macroF1).toBeCloseTo(0.8 / 3, 10);
  });

  it('splits by text hash, stably, and calibrates the neutral band on scores', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ text: `sentence ${i}` }));
    const a = splitHalves(items);
    expect(a.calibration.length + a.heldOut.length).toBe(200);
    expect(a.calibration.length).toBeGreaterThan(60);
    expect(splitHalves(items)).toEqual(a);
    expect(calibrateNeutralBand(['neutral', 'positive', 'negative'], [0.2, 0.5, -0.5])).toBe(0.2);
    expect(labelScores([0.3, -0.3, 0.1], 0.2)).toEqual(['positive', 'negative', 'neutral']);
  });
});

describe.skipIf(!fs.existsSync(PHRASEBANK) || !fs.existsSync(TWEETS))('accuracy on the labelled sets', () => {
  it('loads Financial PhraseBank (split on the last "@") and the tweets (embedded newlines)', () => {
    const fpb = loadPhraseBank(PHRASEBANK);
    expect(fpb).toHaveLength(2264);
    expect(fpb.filter((x) => x.label === 'negative')).toHaveLength(303);
    const tweets = loadTweets(TWEETS);
    expect(tweets).toHaveLength(2388);
    expect(tweets.filter((x) => x.label === 'negative')).toHaveLength(347);
    expect(tweets.filter((x) => x.label === 'positive')).toHaveLength(475);
    expect(tweets.some((x) => x.text.includes('\n'))).toBe(true);
  });

  // These can fail: they hold the shipped lexicon to beating the majority-class baseline on held-out data.
  it.each([
    ['Financial PhraseBank', PHRASEBANK, loadPhraseBank],
    ['Twitter financial news', TWEETS, loadTweets],
  ] as const)('beats the majority-class baseline on macro-F1 and accuracy: %s', (_name, file, load) => {
    const { heldOut } = splitHalves(load(file));
    const truths = heldOut.map((x) => x.label);
    const model = evaluate(
      truths,
      heldOut.map((x) => scoreText(x.text, { neutralBand: DEFAULT_NEUTRAL_BAND }).label),
    );
    const baseline = majorityBaseline(truths);
    expect(model.macroF1).toBeGreaterThan(baseline.macroF1 + 0.2);
    expect(model.accuracy).toBeGreaterThan(baseline.accuracy);
    for (const c of ['positive', 'negative', 'neutral'] as const) expect(model.perClass[c].f1).toBeGreaterThan(0.4);
  });
});
