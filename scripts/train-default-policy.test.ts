import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const modelFile = path.join(root, 'resources', 'models', 'dqn-policy.onnx');
const metadataFile = path.join(root, 'resources', 'models', 'dqn-policy.json');

describe('scripts/train-default-policy.ts', () => {
  // Generating the synthetic market and training take ~36 s on two idle cores; the limit leaves room for a busy
  // machine (other test files run alongside). It runs the real script, as a user would, not a copy of its steps.
  it('reproduces the shipped model and its side-car bit for bit (--check)', async () => {
    const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const script = path.join(root, 'scripts', 'train-default-policy.ts');
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, script, '--check'], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 280_000,
    });
    // execFile rejects on a non-zero exit (a different model exits 1), so reaching here means both matched.
    const sha256 = createHash('sha256').update(fs.readFileSync(modelFile)).digest('hex');
    expect(stdout).toContain(`identical to ${modelFile} (sha256 ${sha256})`);
    expect(stdout).toContain(`identical to ${metadataFile}`);
    // The side-car names the file it describes.
    expect(JSON.parse(fs.readFileSync(metadataFile, 'utf8'))).toMatchObject({
      sha256,
      bytes: fs.statSync(modelFile).size,
    });
  }, 300_000);
});
