import { Prng } from './prng';

/** Sizes of a fully connected network: input, hidden layers (ReLU), linear output. */
export interface MlpLayout {
  inputSize: number;
  hidden: number[];
  outputSize: number;
}

/** One dense layer's place in the flat parameter vector; weights are [out][in], row-major (ONNX Gemm, transB=1). */
export interface DenseLayer {
  inSize: number;
  outSize: number;
  weightOffset: number;
  biasOffset: number;
  relu: boolean;
}

interface Workspace {
  batch: number;
  /** activations[0] is the input copy; activations[i + 1] is layer i's output (after ReLU for hidden layers). */
  activations: Float64Array[];
  deltas: Float64Array[];
}

/**
 * A small multilayer perceptron with hand-written forward and backward passes, the Q-network of the DQN.
 *
 * Parameters are kept in one Float64Array whose values are always exactly representable in float32 (the
 * initialiser and the optimiser round with Math.fround). The network therefore computes in double precision on
 * the very weights that are exported to ONNX as float32, and nothing is lost between training and export.
 */
export class Mlp {
  readonly layers: DenseLayer[];
  readonly params: Float64Array;
  private readonly workspaces = new Map<number, Workspace>();

  constructor(readonly layout: MlpLayout) {
    const sizes = [layout.inputSize, ...layout.hidden, layout.outputSize];
    for (const s of sizes) {
      if (!Number.isInteger(s) || s <= 0) throw new RangeError(`Layer sizes must be positive integers: ${sizes}`);
    }
    this.layers = [];
    let offset = 0;
    for (let i = 0; i < sizes.length - 1; i++) {
      const inSize = sizes[i] as number;
      const outSize = sizes[i + 1] as number;
      this.layers.push({
        inSize,
        outSize,
        weightOffset: offset,
        biasOffset: offset + inSize * outSize,
        relu: i < sizes.length - 2,
      });
      offset += inSize * outSize + outSize;
    }
    this.params = new Float64Array(offset);
  }

  /** A network with He-uniform weights for the ReLU layers, a small output layer and zero biases, from a seed. */
  static create(layout: MlpLayout, seed: number): Mlp {
    const net = new Mlp(layout);
    const prng = new Prng(seed);
    for (const layer of net.layers) {
      // A small last layer keeps the initial Q-values near zero, so early targets are not dominated by noise.
      const limit = layer.relu ? Math.sqrt(6 / layer.inSize) : Math.sqrt(6 / layer.inSize) * 0.1;
      for (let i = 0; i < layer.inSize * layer.outSize; i++) {
        net.params[layer.weightOffset + i] = Math.fround((prng.next() * 2 - 1) * limit);
      }
    }
    return net;
  }

  get parameterCount(): number {
    return this.params.length;
  }

  clone(): Mlp {
    const copy = new Mlp(this.layout);
    copy.params.set(this.params);
    return copy;
  }

  copyFrom(other: Mlp): void {
    if (other.params.length !== this.params.length) throw new RangeError('Networks have different layouts');
    this.params.set(other.params);
  }

  /** The weights of one layer as float32 [out][in], and its biases, for export. */
  layerTensors(index: number): { weights: Float32Array; bias: Float32Array } {
    const layer = this.layers[index];
    if (!layer) throw new RangeError(`No layer ${index}`);
    return {
      weights: Float32Array.from(
        this.params.subarray(layer.weightOffset, layer.weightOffset + layer.inSize * layer.outSize),
      ),
      bias: Float32Array.from(this.params.subarray(layer.biasOffset, layer.biasOffset + layer.outSize)),
    };
  }

  /**
   * Forward pass over `batch` rows of `input` (row-major, batch × inputSize). Returns batch × outputSize in a
   * buffer owned by the network and overwritten by the next call with the same batch size: copy what you keep.
   */
  forward(input: ArrayLike<number>, batch: number): Float64Array {
    const ws = this.prepare(batch);
    const x = ws.activations[0] as Float64Array;
    const n = batch * this.layout.inputSize;
    if (input.length < n) throw new RangeError(`Input has ${input.length} values, need ${n}`);
    for (let i = 0; i < n; i++) x[i] = input[i] as number;
    const p = this.params;
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l] as DenseLayer;
      const a = ws.activations[l] as Float64Array;
      const z = ws.activations[l + 1] as Float64Array;
      const { inSize, outSize, weightOffset, biasOffset, relu } = layer;
      for (let r = 0; r < batch; r++) {
        const aRow = r * inSize;
        const zRow = r * outSize;
        for (let o = 0; o < outSize; o++) {
          let s = p[biasOffset + o] as number;
          const wRow = weightOffset + o * inSize;
          for (let k = 0; k < inSize; k++) s += (p[wRow + k] as number) * (a[aRow + k] as number);
          z[zRow + o] = relu && s < 0 ? 0 : s;
        }
      }
    }
    return ws.activations[this.layers.length] as Float64Array;
  }

  /**
   * Back-propagates `dOutput` (batch × outputSize, the loss's gradient at the outputs of the last
   * {@link forward}) and writes the parameter gradient into `grad` (overwritten, same length as params).
   */
  backward(dOutput: ArrayLike<number>, batch: number, grad: Float64Array): void {
    const ws = this.workspaces.get(batch);
    if (!ws) throw new Error('backward() must follow forward() with the same batch');
    if (grad.length !== this.params.length) throw new RangeError('Gradient buffer has the wrong length');
    grad.fill(0);
    const p = this.params;
    const last = this.layers.length - 1;
    const dTop = ws.deltas[last] as Float64Array;
    for (let i = 0; i < batch * this.layout.outputSize; i++) dTop[i] = dOutput[i] as number;
    for (let l = last; l >= 0; l--) {
      const layer = this.layers[l] as DenseLayer;
      const { inSize, outSize, weightOffset, biasOffset } = layer;
      const d = ws.deltas[l] as Float64Array;
      const a = ws.activations[l] as Float64Array;
      for (let r = 0; r < batch; r++) {
        const dRow = r * outSize;
        const aRow = r * inSize;
        for (let o = 0; o < outSize; o++) {
          const g = d[dRow + o] as number;
          if (g === 0) continue;
          grad[biasOffset + o] = (grad[biasOffset + o] as number) + g;
          const wRow = weightOffset + o * inSize;
          for (let k = 0; k < inSize; k++) grad[wRow + k] = (grad[wRow + k] as number) + g * (a[aRow + k] as number);
        }
      }
      if (l === 0) break;
      // Delta of the layer below, through its ReLU: zero where the unit was off.
      const below = ws.deltas[l - 1] as Float64Array;
      for (let r = 0; r < batch; r++) {
        const dRow = r * outSize;
        const aRow = r * inSize;
        for (let k = 0; k < inSize; k++) {
          if ((a[aRow + k] as number) <= 0) {
            below[aRow + k] = 0;
            continue;
          }
          let s = 0;
          for (let o = 0; o < outSize; o++) s += (d[dRow + o] as number) * (p[weightOffset + o * inSize + k] as number);
          below[aRow + k] = s;
        }
      }
    }
  }

  private prepare(batch: number): Workspace {
    const existing = this.workspaces.get(batch);
    if (existing) return existing;
    const sizes = [this.layout.inputSize, ...this.layout.hidden, this.layout.outputSize];
    const ws: Workspace = {
      batch,
      activations: sizes.map((s) => new Float64Array(s * batch)),
      deltas: sizes.slice(1).map((s) => new Float64Array(s * batch)),
    };
    // Acting (batch 1), learning (the minibatch) and evaluation (whole periods) each keep their own buffers.
    if (this.workspaces.size >= 8) this.workspaces.clear();
    this.workspaces.set(batch, ws);
    return ws;
  }
}
