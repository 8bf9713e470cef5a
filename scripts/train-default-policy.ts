/**
 * Reproduces the shipped DQN policy, resources/models/dqn-policy.onnx, bit for bit: the synthetic market of a fixed
 * seed, a fixed training seed, sequential double-precision arithmetic, and no timestamps in the file.
 *
 *   npx tsx scripts/train-default-policy.ts            # writes resources/models/dqn-policy.{onnx,json}
 *   npx tsx scripts/train-default-policy.ts --check    # trains again and compares with the shipped files (exit 1 if not)
 *   npx tsx scripts/train-default-policy.ts --out DIR  # writes into DIR instead
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ProgressBar } from '../src/main/cli/progress-bar';
import { syntheticSeries } from '../src/main/core/policy/data-sources';
import {
  DEFAULT_MODEL_CONFIG,
  DEFAULT_MODEL_DATA,
  MODEL_FILE_NAME,
  MODEL_METADATA_FILE_NAME,
} from '../src/main/core/policy/default-model';
import { trainPolicyModel } from '../src/main/core/policy/train-policy';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): number {
  const root = path.resolve(__dirname, '..');
  const outDir = path.resolve(flag('--out') ?? path.join(root, 'resources', 'models'));
  const check = process.argv.includes('--check');
  const spec = DEFAULT_MODEL_DATA;

  const started = Date.now();
  const genBar = new ProgressBar('Generating the synthetic market', 'days');
  const series = syntheticSeries(spec, { progress: (d, t) => genBar.update(d, t) });
  genBar.finish(`${series.length} symbols × ${series[0]?.t.length ?? 0} daily bars`);

  const trainBar = new ProgressBar('Training the DQN policy', 'episodes');
  const trained = trainPolicyModel(
    {
      series,
      source: `synthetic market, seed ${spec.seed}, ${spec.symbols.join(' ')}, ${spec.timeframe}, ${spec.fromDay}..${spec.toDay}`,
      synthetic: spec,
      config: DEFAULT_MODEL_CONFIG,
    },
    { onEpisode: (log, total) => trainBar.update(log.episode, total) },
  );
  const r = trained.result;
  trainBar.finish(
    `${r.episodesRun} episodes (best ${r.bestEpisode}${r.stoppedEarly ? ', stopped early' : ''}), ${r.gradientSteps} gradient steps`,
  );

  const sha256 = createHash('sha256').update(trained.bytes).digest('hex');
  const side = { sha256, bytes: trained.bytes.length, ...trained.metadata, history: r.history };
  const modelFile = path.join(outDir, MODEL_FILE_NAME);
  const metadataFile = path.join(outDir, MODEL_METADATA_FILE_NAME);
  const sideText = `${JSON.stringify(side, null, 2)}\n`;
  if (check) {
    const shipped = fs.readFileSync(modelFile);
    const same = Buffer.compare(shipped, Buffer.from(trained.bytes)) === 0;
    console.log(
      same ? `identical to ${modelFile} (sha256 ${sha256})` : `DIFFERENT from ${modelFile}: retrained sha256 ${sha256}`,
    );
    // The side-car carries the metrics and training history the README quotes: it must match the retraining too.
    const sameSide = fs.existsSync(metadataFile) && fs.readFileSync(metadataFile, 'utf8') === sideText;
    console.log(sameSide ? `identical to ${metadataFile}` : `DIFFERENT from ${metadataFile}`);
    return same && sameSide ? 0 : 1;
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(modelFile, trained.bytes);
  fs.writeFileSync(metadataFile, sideText);
  const v = r.validation;
  console.log(`model ${trained.metadata.version}, ${trained.bytes.length} bytes, sha256 ${sha256}`);
  console.log(
    `validation (mean over symbols): return ${(v.totalReturn * 100).toFixed(1)}%, Sharpe ${v.sharpe.toFixed(2)}, ` +
      `max drawdown ${(v.maxDrawdown * 100).toFixed(1)}%; untrained network's Sharpe ${r.untrainedValidation.toFixed(2)}`,
  );
  console.log(`wrote ${modelFile} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return 0;
}

process.exitCode = main();
