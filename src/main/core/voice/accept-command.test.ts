import { describe, expect, it } from 'vitest';
import { acceptCommand, ORDER_MIN_CONFIDENCE } from './accept-command';
import { buildCommandLanguage } from './grammar/command-language';
import type { RecognitionResult } from './recognition/recognizer';

const { grammar } = buildCommandLanguage({ watchlist: ['AAPL', 'TSLA'] });

function result(words: string, confidence: number, extra: Partial<RecognitionResult> = {}): RecognitionResult {
  return {
    words: words.split(' ').filter(Boolean),
    confidence,
    outOfGrammar: confidence < 0.5,
    silence: false,
    finishMs: 1,
    detail: {},
    ...extra,
  };
}

describe('acceptCommand', () => {
  it('accepts confident commands and asks more of orders', () => {
    expect(acceptCommand(grammar, result('buy ten apple at market', 0.95), 2000).command?.canonical).toBe(
      'buy 10 AAPL at market',
    );
    expect(acceptCommand(grammar, result('buy ten apple at market', ORDER_MIN_CONFIDENCE - 0.01), 2000)).toEqual({
      command: null,
      rejected: 'out_of_grammar',
    });
    expect(acceptCommand(grammar, result('confirm', 0.6), 900).command?.kind).toBe('confirm');
  });

  it('rejects taps, silence, out-of-grammar speech and words that do not parse', () => {
    expect(acceptCommand(grammar, result('confirm', 0.99), 100).rejected).toBe('too_short');
    expect(acceptCommand(grammar, result('', 0, { silence: true }), 1000).rejected).toBe('silence');
    expect(acceptCommand(grammar, result('confirm', 0.2), 1000).rejected).toBe('out_of_grammar');
    expect(acceptCommand(grammar, result('buy apple', 0.99), 1000).rejected).toBe('out_of_grammar');
    expect(acceptCommand(null, result('confirm', 0.99), 1000).rejected).toBe('out_of_grammar');
  });
});
