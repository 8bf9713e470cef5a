import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPolicyModel } from '../../core/policy/model-file';
import { cleanupTempDirs, makeTempDir, SHARED_DATA } from '../../core/testing/fixtures';
import { runCommand } from '../testing';
import { evaluateCommand } from './evaluate';
import { trainCommand } from './train';

const DAILY = path.join(SHARED_DATA, 'market', 'daily');

afterEach(cleanupTempDirs);

const run = runCommand;

describe.skipIf(!fs.existsSync(DAILY))('train and evaluate commands on a real daily file', () => {
  it('trains in a worker with a progress bar, writes the model, and evaluates it against the baselines', async () => {
    const dataDir = makeTempDir();
    const model = path.join(dataDir, 'test-policy.onnx');
    const file = path.join(DAILY, 'spy.us.txt');
    const trained = await run(trainCommand, [
      '--data-dir',
      dataDir,
      '--file',
      file,
      '--episodes',
      '3',
      '--seed',
      '2',
      '--out',
      model,
    ]);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toContain('Training on files: spy.us.txt');
    expect(trained.stdout).toMatch(/Model dqn-features-v1-[0-9a-f]{12} written to/);
    expect(trained.stderr).toMatch(/Training the DQN policy: .*3 episodes/);
    const meta = readPolicyModel(model).metadata;
    expect(meta.data.symbols).toEqual(['SPY']);
    expect(fs.existsSync(path.join(dataDir, 'test-policy.json'))).toBe(true);

    const out = path.join(dataDir, 'eval');
    const evaluated = await run(evaluateCommand, [
      '--data-dir',
      dataDir,
      '--model',
      model,
      '--no-synthetic',
      '--file',
      file,
      '--out',
      out,
    ]);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(
      /\| SPY \(spy\.us\.txt\) \(\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d, \d+ bars\) \| DQN \|/,
    );
    expect(evaluated.stdout).toContain('| buy & hold |');
    expect(evaluated.stdout).toContain('| random (mean of runs) |');
    expect(fs.readFileSync(path.join(out, 'equity-real-daily.svg'), 'utf8')).toContain('<polyline');
    const json = JSON.parse(fs.readFileSync(path.join(out, 'evaluation.json'), 'utf8'));
    expect(json.rows).toHaveLength(3);
  }, 60_000);

  it('refuses an unknown source and names a missing model file', async () => {
    const dataDir = makeTempDir();
    await expect(run(trainCommand, ['--data-dir', dataDir, '--source', 'nope'])).rejects.toThrow(/--source must be/);
    const missing = path.join(dataDir, 'missing.onnx');
    await expect(run(evaluateCommand, ['--data-dir', dataDir, '--model', missing])).rejects.toThrow(missing);
  });
});
