import type { PolicyAction } from '../../../shared/domain/policy';
import { FEATURE_SPEC, FeatureStream, positionIndex } from '../policy/features';
import { LiveFold } from './live-fold';

/** The DQN policy's features for the decode path: the feature stream and its last window of rows. */
export interface PolicyFoldState {
  stream: FeatureStream;
  rows: Float32Array[];
}

/**
 * The policy's input features, advanced one bar at a time from the view's anchor (rebuilding the whole window
 * per decision would cost a pass over 512 bars). Outputs the window of rows, flattened, once it is full.
 */
export function policyLiveFold(): LiveFold<PolicyFoldState, Float32Array | null> {
  const window = FEATURE_SPEC.window;
  return new LiveFold<PolicyFoldState, Float32Array | null>(
    (view) => ({ state: { stream: new FeatureStream(view.timeframe), rows: [] }, count: 0 }),
    (state, bar) => {
      const row = state.stream.push(bar);
      if (row) {
        state.rows.push(row);
        if (state.rows.length > window) state.rows.shift();
      }
      if (state.rows.length < window) return null;
      const width = (state.rows[0] as Float32Array).length;
      const flat = new Float32Array(window * width);
      state.rows.forEach((r, i) => {
        flat.set(r, i * width);
      });
      return flat;
    },
  );
}

/** The policy's state: the window of feature rows, then the position one-hot (as `buildState` lays it out). */
export function policyState(rows: Float32Array, position: PolicyAction): Float32Array {
  const state = new Float32Array(FEATURE_SPEC.stateSize);
  state.set(rows, 0);
  state[rows.length + positionIndex(position)] = 1;
  return state;
}
