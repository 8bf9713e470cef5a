import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../../shared/domain/decision';
import { decisionAlert, decisionAlertText, fillAlert } from './alert-text';

const decision: Decision = {
  id: 'd1',
  symbol: 'TSLA',
  t: 5,
  action: 'BUY',
  confidence: 0.64,
  suggestedQty: 35,
  price: 250,
  contributions: [
    { slot: 'internlm2', signal: 0.5, weight: 1, fromCache: true, reason: 'price above its 50-bar average' },
    { slot: 'moonshot', signal: 0.7, weight: 0.8, fromCache: false, reason: 'bull flag (72%)' },
    { slot: 'yi', signal: -0.2, weight: 0.6, fromCache: true, reason: 'sentiment negative' },
  ],
  explanation: '...',
  warnings: [],
  fromCache: true,
  degraded: [],
};

describe('MiniMax alert text', () => {
  it('says what, how confident, who agreed, who did not, and that it came from the cache', () => {
    expect(decisionAlertText(decision, 'quiet')).toBe('Buy Tesla, 64 percent confident.');
    expect(decisionAlertText(decision, 'normal')).toBe(
      'Buy Tesla, 64 percent confident. InternLM2 and Moonshot point that way; Yi disagrees. Suggested size 35 shares. From the cache.',
    );
    expect(decisionAlertText(decision, 'verbose')).toMatch(/Moonshot: bull flag \(72%\)\./);
  });

  it('spells unknown tickers for the voice and mentions rule warnings', () => {
    const text = decisionAlertText(
      { ...decision, symbol: 'XYZ', action: 'HOLD', warnings: ['Wash sale: bought within 30 days'], fromCache: false },
      'normal',
    );
    expect(text).toBe('Hold X Y Z, 64 percent confident. The signals are mixed or weak. Rule warning: Wash sale.');
  });

  it('gives fills a higher priority than decisions', () => {
    expect(decisionAlert(decision, 'quiet', 'a1').priority).toBe('decision');
    const fill = fillAlert({ symbol: 'AAPL', side: 'buy', qty: 10, price: 191.234, t: 9 }, 'a2');
    expect(fill).toMatchObject({ priority: 'fill', text: 'Filled: bought 10 Apple at 191.23.' });
  });
});
