import path from 'node:path';
import type { SyntheticSpec } from './data-sources';
import { DEFAULT_DQN_CONFIG, type DqnConfig } from './dqn-trainer';

/** File name of the policy model, shipped in resources/models and written by retraining into the data folder. */
export const MODEL_FILE_NAME = 'dqn-policy.onnx';
/** Side-car JSON with the model's metadata and the ONNX file's sha256, for people and diffs. */
export const MODEL_METADATA_FILE_NAME = 'dqn-policy.json';

/** The shipped model: resources/models/dqn-policy.onnx under the project (or app resources) root. */
export function defaultModelFile(resourcesRoot: string): string {
  return path.join(resourcesRoot, 'resources', 'models', MODEL_FILE_NAME);
}

/** A retrained model: <data dir>/models/dqn-policy.onnx; it takes precedence over the shipped one. */
export function userModelFile(dataDir: string): string {
  return path.join(dataDir, 'models', MODEL_FILE_NAME);
}

/**
 * The data the shipped model is trained on: the synthetic market of seed 42 for the default watchlist, daily bars,
 * 2010 to 2021. Its walk-forward split leaves 2019-2021's last part as the held-out test period.
 */
export const DEFAULT_MODEL_DATA: SyntheticSpec = {
  seed: 42,
  symbols: ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY'],
  timeframe: '1d',
  fromDay: '2010-01-01',
  toDay: '2021-12-31',
};

/** The training configuration of the shipped model. */
export const DEFAULT_MODEL_CONFIG: DqnConfig = { ...DEFAULT_DQN_CONFIG, seed: 7 };
