import { describe, expect, it } from 'vitest';
import { buildCommandLanguage } from './command-language';
import { companyTable } from './companies';
import { type Grammar, pruneGrammar } from './grammar';
import { toJsgf } from './jsgf';
import { cleanRecognizedWords, normalizeWords } from './normalize';
import { parseWords } from './parse';

const language = buildCommandLanguage({ watchlist: ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY', 'IBM'] });
const say = (text: string) => normalizeWords(language.grammar, text.split(' '));

describe('normalizeWords: spoken words to the canonical typed form', () => {
  it.each([
    ['buy ten shares of apple at market', 'buy 10 AAPL at market'],
    ['sell five tesla limit two hundred fifty', 'sell 5 TSLA limit 250'],
    ['sell five tesla limit two fifty', 'sell 5 TSLA limit 250'],
    ['buy one hundred shares of microsoft at two hundred and ten dollars', 'buy 100 MSFT limit 210'],
    ['short ten nvidia at market', 'short 10 NVDA at market'],
    ['buy a hundred shares of s and p market', 'buy 100 SPY at market'],
    ['buy twenty ltr_i ltr_b ltr_m', 'buy 20 IBM at market'],
    ['sell two hundred spy stop five oh five', 'sell 200 SPY stop 505'],
    ['cover fifty tesla at two forty point five dollars', 'cover 50 TSLA limit 240.5'],
    ['what is the price of apple', 'what is the price of AAPL'],
    ['whats the price of nvidia', 'what is the price of NVDA'],
    ['is this a bull flag on tesla', 'is this a bull flag on TSLA'],
    ['is there a head and shoulders on nvidia', 'is there a head and shoulders on NVDA'],
    ['should i buy tesla calls', 'should i buy TSLA calls'],
    [
      'calculate the black scholes price of a tesla two hundred fifty call expiring in thirty days',
      'calculate the black scholes price of a TSLA 250 call expiring in 30 days',
    ],
    ['what is the sentiment on apple', 'what is the sentiment on AAPL'],
    ['what is the pattern day trader rule', 'what is the pattern day trader rule'],
    ['whats the ltr_r ltr_s ltr_i of microsoft', 'what is the RSI of MSFT'],
    ['confirm', 'confirm'],
    ['cancel', 'cancel'],
    ['quantity twenty', 'quantity 20'],
    ['price two hundred', 'price 200'],
    ['stop price one ninety', 'stop price 190'],
  ])('"%s" → "%s"', (spoken, canonical) => {
    expect(say(spoken)?.canonical).toBe(canonical);
  });

  it('gives the read-back the structured order', () => {
    const command = say('buy one hundred shares of microsoft at two hundred and ten dollars');
    expect(command).toMatchObject({
      kind: 'order',
      order: { verb: 'buy', side: 'buy', qty: 100, symbol: 'MSFT', type: 'limit', limitPrice: 210 },
    });
    expect(say('short ten nvidia at market')).toMatchObject({ order: { verb: 'short', side: 'sell', type: 'market' } });
    expect(say('quantity twenty')).toMatchObject({ kind: 'correct', field: 'qty', value: 20 });
    expect(say('price two fifty')).toMatchObject({ kind: 'correct', field: 'limitPrice', value: 250 });
  });

  it('classifies questions for the router', () => {
    expect(say('what is the sentiment on apple')).toMatchObject({
      kind: 'question',
      question: 'sentiment',
      symbol: 'AAPL',
    });
    expect(say('is this a bull flag on tesla')).toMatchObject({ question: 'pattern', symbol: 'TSLA' });
    expect(say('what is the wash sale rule')).toMatchObject({ question: 'knowledge' });
  });

  it('returns null for words that are not a command, however close', () => {
    for (const text of [
      'open the settings window',
      'buy ten shares of apple pie',
      'buy apple',
      'buy ten',
      'sell five tesla limit',
      'what is the price',
      'confirm confirm',
      '',
    ]) {
      expect(say(text)).toBeNull();
    }
  });

  it('ignores fillers and alternate-pronunciation marks from the decoder', () => {
    expect(cleanRecognizedWords(['<sil>', 'buy', 'ten(2)', '[NOISE]', 'apple', 'market', '</s>'])).toEqual([
      'buy',
      'ten',
      'apple',
      'market',
    ]);
    expect(normalizeWords(language.grammar, ['<s>', 'buy', 'ten(2)', 'apple', '<sil>'])?.canonical).toBe(
      'buy 10 AAPL at market',
    );
  });
});

describe('buildCommandLanguage', () => {
  it('listens for the watchlist by name and spelled, and for the company table only when asked', () => {
    const small = buildCommandLanguage({ watchlist: ['ZZZQ'], includeAllCompanies: false });
    expect(small.symbols).toEqual(['ZZZQ']);
    expect(normalizeWords(small.grammar, 'buy five ltr_z ltr_z ltr_z ltr_q'.split(' '))?.canonical).toBe(
      'buy 5 ZZZQ at market',
    );
    expect(normalizeWords(small.grammar, 'buy five apple'.split(' '))).toBeNull();
    expect(language.symbols).not.toContain('NFLX');
    expect(say('buy five netflix')).toBeNull();
    const all = buildCommandLanguage({ watchlist: ['AAPL'], includeAllCompanies: true });
    expect(all.symbols).toContain('NFLX');
    expect(normalizeWords(all.grammar, 'buy five netflix'.split(' '))?.canonical).toBe('buy 5 NFLX at market');
  });

  it('changes its fingerprint exactly when the symbols change', () => {
    const a = buildCommandLanguage({ watchlist: ['AAPL', 'TSLA'] });
    const b = buildCommandLanguage({ watchlist: ['tsla', 'aapl'] });
    const c = buildCommandLanguage({ watchlist: ['AAPL', 'TSLA', 'ROKU'] });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });

  it('is data-driven: a new table row is a new name', () => {
    const custom = buildCommandLanguage({
      watchlist: ['ROKU'],
      companies: [...companyTable, { ticker: 'ROKU', display: 'Roku', names: ['roku'] }],
    });
    expect(normalizeWords(custom.grammar, 'sell three roku at market'.split(' '))?.canonical).toBe(
      'sell 3 ROKU at market',
    );
  });

  it('compiles to JSGF that names every rule it uses', () => {
    const jsgf = toJsgf(language.grammar);
    expect(jsgf.startsWith('#JSGF V1.0;\ngrammar swaggy;\npublic <command> = ')).toBe(true);
    const defined = new Set([...jsgf.matchAll(/^(?:public )?<([a-z0-9_]+)> =/gm)].map((m) => m[1]));
    const used = new Set([...jsgf.matchAll(/<([a-z0-9_]+)>/g)].map((m) => m[1]));
    for (const rule of used) expect(defined.has(rule)).toBe(true);
    expect(jsgf).not.toMatch(/[\\"]/);
  });

  it('drops the branches a recogniser cannot pronounce and keeps the rest parseable', () => {
    const all = buildCommandLanguage({ watchlist: ['AAPL'], includeAllCompanies: true });
    const { grammar, removed } = pruneGrammar(all.grammar, (word) => word !== 'netflix' && word !== 'spider');
    expect(removed).toEqual(['netflix', 'spider']);
    expect(toJsgf(grammar)).not.toContain('netflix');
    expect(normalizeWords(grammar, 'buy five netflix'.split(' '))).toBeNull();
    expect(normalizeWords(grammar, 'buy five ltr_n ltr_f ltr_l ltr_x'.split(' '))?.canonical).toBe(
      'buy 5 NFLX at market',
    );
  });

  it('parses without blowing up on long garbage', () => {
    const g: Grammar = language.grammar;
    const long = Array.from({ length: 60 }, (_, i) => (i % 2 ? 'hundred' : 'two'));
    expect(parseWords(g, long)).toBeNull();
  });
});
