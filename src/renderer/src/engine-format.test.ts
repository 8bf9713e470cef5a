import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatLatencyUs, formatRatio, formatSignal, slotLabel } from './engine-format';

describe('engine number formatting', () => {
  it('shows latencies in the unit a trader reads fastest', () => {
    expect(formatLatencyUs(17.4)).toBe('17 µs');
    expect(formatLatencyUs(618.1)).toBe('0.62 ms');
    expect(formatLatencyUs(9_679.6)).toBe('9.7 ms');
    expect(formatLatencyUs(42_282)).toBe('42 ms');
    expect(formatLatencyUs(1_250_000)).toBe('1.25 s');
    expect(formatLatencyUs(null)).toBe('—');
    expect(formatLatencyUs(Number.NaN)).toBe('—');
    expect(formatLatencyUs(-1)).toBe('—');
  });

  it('shows ratios, bytes and counts', () => {
    expect(formatRatio(0.6667)).toBe('67%');
    expect(formatRatio(0)).toBe('0%');
    expect(formatRatio(undefined)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(267_742)).toBe('261 KB');
    expect(formatBytes(13_002_342)).toBe('12.4 MB');
    expect(formatCount(1204.2)).toBe('1,204');
  });

  it('names the slots as the seed does', () => {
    expect(slotLabel('internlm2')).toBe('InternLM2');
    expect(slotLabel('minimax')).toBe('MiniMax');
    expect(slotLabel('policy')).toBe('DQN policy');
    expect(slotLabel('dqn')).toBe('DQN policy');
    expect(slotLabel('other')).toBe('other');
  });

  it('signs signals', () => {
    expect(formatSignal(0.805)).toBe('+0.81');
    expect(formatSignal(-0.139)).toBe('-0.14');
    expect(formatSignal(0)).toBe('±0.00');
  });
});
