import { describe, expect, it } from 'vitest';
import { CommandHistory } from './command-history';

describe('command bar history', () => {
  it('walks back and forward, ending on the draft', () => {
    const h = new CommandHistory();
    h.push('is this a bull flag on TSLA?');
    h.push('should I buy TSLA calls?');
    expect(h.back('buy 10 AA')).toBe('should I buy TSLA calls?');
    expect(h.back('ignored while walking')).toBe('is this a bull flag on TSLA?');
    expect(h.back('x')).toBeNull();
    expect(h.forward()).toBe('should I buy TSLA calls?');
    expect(h.forward()).toBe('buy 10 AA');
    expect(h.forward()).toBeNull();
  });

  it('remembers a repeated command once, ignores blanks, and keeps the newest up to its limit', () => {
    const h = new CommandHistory([], 3);
    h.push('a');
    h.push('a ');
    h.push('   ');
    h.push('b');
    h.push('c');
    h.push('d');
    expect(h.list()).toEqual(['b', 'c', 'd']);
    expect(h.back('')).toBe('d');
    h.push('e');
    // A new command ends the walk: the next ↑ starts from the newest again.
    expect(h.back('')).toBe('e');
  });

  it('starts from a saved list', () => {
    const h = new CommandHistory(['x', '', 'y']);
    expect(h.list()).toEqual(['x', 'y']);
    expect(h.forward()).toBeNull();
    expect(h.back('')).toBe('y');
  });
});
