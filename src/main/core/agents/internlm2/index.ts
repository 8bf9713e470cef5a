/** InternLM2 slot's built-in model: streaming indicators and anomaly flags (see stream.ts). */

export type { StreamState } from './state-schema';
export {
  computeIndicators,
  createStreamState,
  extendStream,
  MODEL_VERSION,
  resolveStreamParams,
  restoreState,
  snapshotState,
  updateStream,
} from './stream';
