import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../../core/testing/fixtures';
import { runCommand } from '../testing';
import { simulateCommand } from './simulate';

afterEach(cleanupTempDirs);

describe('simulate', () => {
  it('plays the simulated market through the engine and stops after the bars asked for, with a summary', async () => {
    const { code, stdout } = await runCommand(simulateCommand, [
      '--data-dir',
      makeTempDir(),
      '--bars',
      '30',
      '--speed',
      'max',
      '--seed',
      '5',
    ]);
    expect(code).toBe(0);
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
    const { code, stderr } = await runCommand(simulateCommand, ['--data-dir', makeTempDir(), '--speed', 'warp']);
    expect(code).toBe(2);
    expect(stderr).toBe('--speed must be 1 to 10000 or "max" (got warp)\n');
  });
});
