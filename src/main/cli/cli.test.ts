import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../core/testing/fixtures';
import { runCli } from './index';
import { captureOutput } from './testing';

afterEach(cleanupTempDirs);

async function run(args: string[]) {
  const output = captureOutput();
  const code = await runCli(args, { out: output.out, errOut: output.errOut });
  return { code, stdout: output.stdout, stderr: output.stderr };
}

describe('cli', () => {
  it('lists its commands', async () => {
    const { code, stdout } = await run(['help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/doctor/);
  });

  it('doctor reports node, electron, sqlite, the data folder and tools', async () => {
    const dir = makeTempDir();
    const { code, stdout } = await run(['doctor', '--data-dir', dir]);
    expect(code).toBe(0);
    expect(stdout).toContain(`v${process.versions.node}`);
    expect(stdout).toMatch(/Electron binary/);
    expect(stdout).toMatch(/SQLite 3\.\d+/);
    expect(stdout).toContain(dir);
    for (const tool of ['chromium', 'sox', 'arecord', 'pocketsphinx', 'espeak-ng', 'festival']) {
      expect(stdout).toContain(tool);
    }
    const json = await run(['doctor', '--json', '--data-dir', dir]);
    expect(JSON.parse(json.stdout).info.dataDir).toBe(dir);
  });

  it('refuses an unknown command and explains a damaged database', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    const dir = makeTempDir();
    const fs = await import('node:fs');
    fs.writeFileSync(`${dir}/swaggy.db`, 'not a database at all, just text that is long enough');
    const { code, stderr } = await run(['doctor', '--data-dir', dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not a Swaggy Stacks database/);
  });
});
