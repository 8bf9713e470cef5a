import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../../core/testing/fixtures';
import { createCliContext } from '../context';
import { simulateCommand } from './simulate';

afterEach(cleanupTempDirs);

describe('simulate', () => {
  it('plays the simulated market through the engine and stops after the bars asked for, with a summary', async () => {
    const out = new PassThrough();
    const errOut = new PassThrough();
    let stdout = '';
    out.on('data', (c) => {
      stdout += c;
    });
    const ctx = createCliContext(['--data-dir', makeTempDir(), '--bars', '30', '--speed', 'max', '--seed', '5'], {
      out,
      errOut,
    });
    try {
      expect(await simulateCommand.run(ctx)).toBe(0);
    } finally {
      await ctx.close();
    }
    expect(stdout).toMatch(/^Simulated market \(seed 5\) · AAPL, MSFT, TSLA, NVDA, SPY · 1m bars/);
    // Decisions name the slots that voted, with the ones that answered from the cache marked.
    expect(stdout).toMatch(/ (BUY|SELL|HOLD) +\d+% +qty +\d+ +\[internlm2(·hit)? moonshot(·hit)?/);
    const summary = stdout.match(/Stopped after (\d+) bars\. Portfolio \$[\d,.]+ .*; (\d+) decisions, p99 [\d.]+ ms/);
    expect(summary).not.toBeNull();
    // At "max" every bar is decided, bar by bar, and it stops where it was asked to.
    expect(Number(summary?.[1])).toBe(30);
    expect(Number(summary?.[2])).toBeGreaterThanOrEqual(30 * 5);
  }, 60_000);

  it('refuses a bad speed with a message and exit code 2', async () => {
    const errOut = new PassThrough();
    let stderr = '';
    errOut.on('data', (c) => {
      stderr += c;
    });
    const ctx = createCliContext(['--data-dir', makeTempDir(), '--speed', 'warp'], { out: new PassThrough(), errOut });
    try {
      expect(await simulateCommand.run(ctx)).toBe(2);
    } finally {
      await ctx.close();
    }
    expect(stderr).toBe('--speed must be 1 to 10000 or "max" (got warp)\n');
  });
});
