import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intentSchema } from '../../../shared/domain/intent';
import { parseIntent, type RouterContext, routingTable } from './router';

const ctx: RouterContext = { knownSymbols: new Set(['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY', 'BRK.B']) };

describe('router: orders', () => {
  it.each([
    ['buy 10 AAPL at market', { side: 'buy', qty: 10, symbol: 'AAPL', type: 'market', tif: 'day' }],
    ['Buy 10 shares of Apple', { side: 'buy', qty: 10, symbol: 'AAPL', type: 'market' }],
    ['sell 5 TSLA limit 250', { side: 'sell', qty: 5, symbol: 'TSLA', type: 'limit', limitPrice: 250 }],
    ['buy 100 shares of microsoft at $210.50', { qty: 100, symbol: 'MSFT', type: 'limit', limitPrice: 210.5 }],
    ['sell 20 NVDA stop 95', { qty: 20, symbol: 'NVDA', type: 'stop', stopPrice: 95 }],
    ['sell 20 NVDA stop 95 limit 94.5 gtc', { type: 'stop_limit', stopPrice: 95, limitPrice: 94.5, tif: 'gtc' }],
    ['short 10 nvidia at market', { side: 'sell', opensShort: true, qty: 10, symbol: 'NVDA' }],
    ['cover 10 NVDA', { side: 'buy', opensShort: false, qty: 10 }],
    ['buy 1,000 SPY', { qty: 1000, symbol: 'SPY' }],
    [
      'buy 10 AAPL limit 180 take profit 200 stop loss 170',
      { type: 'limit', limitPrice: 180, bracket: { takeProfit: 200, stopLoss: 170 } },
    ],
    ['buy AAPL 25', { qty: 25, symbol: 'AAPL', type: 'market' }],
    ['buy 3 $brk.b', { qty: 3, symbol: 'BRK.B' }],
    ['buy 10 IBM', { qty: 10, symbol: 'IBM' }],
  ])('%s', (text, expected) => {
    const intent = parseIntent(text, ctx);
    expect(intent).toMatchObject({ kind: 'order', ...expected });
  });

  it('asks for what is missing instead of guessing', () => {
    expect(parseIntent('buy AAPL', ctx)).toMatchObject({
      kind: 'unknown',
      reason: expect.stringMatching(/How many shares of AAPL/),
    });
    expect(parseIntent('buy 10', ctx)).toMatchObject({
      kind: 'unknown',
      reason: expect.stringMatching(/Which symbol/),
    });
    expect(parseIntent('buy 2.5 AAPL', ctx)).toMatchObject({
      kind: 'unknown',
      reason: expect.stringMatching(/whole number/),
    });
    expect(parseIntent('buy tesla calls', ctx)).toMatchObject({
      kind: 'unknown',
      reason: expect.stringMatching(/shares only/),
    });
  });
});

describe('router: questions follow the seed table', () => {
  it.each([
    ['what is the price of NVDA', 'price', { symbol: 'NVDA' }],
    ['AAPL', 'price', { symbol: 'AAPL' }],
    ['how is tesla doing today?', 'price', { symbol: 'TSLA' }],
    ['is this a bull flag on Tesla?', 'pattern', { symbol: 'TSLA', pattern: 'bull_flag' }],
    ['is there a head and shoulders on nvidia', 'pattern', { symbol: 'NVDA', pattern: 'head_and_shoulders' }],
    ['any patterns on MSFT?', 'pattern', { symbol: 'MSFT', pattern: 'any' }],
    ["what's the RSI of AAPL", 'technical', { symbol: 'AAPL', indicator: 'rsi' }],
    ['what is the sentiment on apple', 'sentiment', { symbol: 'AAPL' }],
    ['what is the pattern day trader rule', 'knowledge', {}],
    ['explain the wash sale rule', 'knowledge', {}],
    ['what is a stop limit order', 'knowledge', {}],
    ['should I buy Tesla calls?', 'comprehensive', { symbol: 'TSLA', side: 'buy', option: { right: 'call' } }],
    ['what do you think about NVDA', 'comprehensive', { symbol: 'NVDA' }],
  ])('%s → %s', (text, kind, entities) => {
    const intent = parseIntent(text, ctx);
    expect(intent).toMatchObject({ kind, ...entities });
  });

  it('reads option terms from a maths question', () => {
    expect(parseIntent('calculate the Black-Scholes price of a TSLA 250 call expiring in 30 days', ctx)).toEqual({
      kind: 'math',
      symbol: 'TSLA',
      topic: 'option_price',
      option: { right: 'call', strike: 250, daysToExpiry: 30 },
    });
    expect(parseIntent('implied volatility of an AAPL 180 put expiring in 2 weeks trading at 3.10', ctx)).toMatchObject(
      {
        kind: 'math',
        topic: 'implied_volatility',
        option: { right: 'put', strike: 180, daysToExpiry: 14 },
        optionPrice: 3.1,
      },
    );
    expect(parseIntent('price a TSLA 250 call expiring in 30 days', ctx)).toMatchObject({
      kind: 'math',
      topic: 'option_price',
      option: { right: 'call', strike: 250, daysToExpiry: 30 },
    });
    expect(parseIntent('what is an AAPL 180 put worth', ctx)).toMatchObject({ kind: 'math', topic: 'option_price' });
    expect(parseIntent('position size for AAPL with a stop at 170', ctx)).toMatchObject({
      kind: 'math',
      topic: 'position_size',
      stopPrice: 170,
    });
  });

  it('uses the chart symbol when the question names none', () => {
    expect(parseIntent('is this a bull flag?', { ...ctx, currentSymbol: 'MSFT' })).toMatchObject({
      kind: 'pattern',
      symbol: 'MSFT',
    });
    expect(parseIntent('is this a bull flag?', ctx)).toMatchObject({ kind: 'unknown' });
  });

  it('routes price to Qwen, patterns to Moonshot + Qwen, maths to DeepSeek + Qwen, comprehensive to all seven', () => {
    expect(routingTable.price).toEqual(['qwen']);
    expect(routingTable.pattern).toEqual(['moonshot', 'qwen']);
    expect(routingTable.math).toEqual(['deepseek', 'qwen']);
    expect(new Set(routingTable.comprehensive).size).toBe(7);
  });
});

describe('router: voice control and garbage', () => {
  it('understands confirm, cancel and corrections', () => {
    expect(parseIntent('confirm', ctx)).toEqual({ kind: 'confirm' });
    expect(parseIntent('Cancel.', ctx)).toEqual({ kind: 'cancel' });
    expect(parseIntent('quantity 20', ctx)).toEqual({ kind: 'correct', field: 'qty', value: 20 });
    expect(parseIntent('price 201.5', ctx)).toEqual({ kind: 'correct', field: 'limitPrice', value: 201.5 });
  });

  it('answers anything with a valid intent and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const intent = parseIntent(text, ctx);
        expect(intentSchema.safeParse(intent).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(parseIntent('open the settings window', ctx)).toMatchObject({ kind: 'unknown' });
    expect(parseIntent('', ctx)).toMatchObject({ kind: 'unknown' });
  });
});
