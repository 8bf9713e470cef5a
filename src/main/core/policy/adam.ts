/** Adam's hyper-parameters (Kingma & Ba, 2015), with an optional global gradient-norm clip. */
export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Scale the gradient down when its L2 norm exceeds this (DQN's usual guard against exploding TD errors). */
  maxGradNorm?: number;
}

/**
 * The Adam optimiser over a flat parameter vector. Every updated parameter is rounded to float32 so that the
 * trained network and its float32 ONNX export hold identical weights.
 */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(
    size: number,
    private readonly options: AdamOptions,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  get steps(): number {
    return this.t;
  }

  /** One update of `params` from `grad`; returns the gradient's L2 norm before clipping. */
  step(params: Float64Array, grad: Float64Array): number {
    let sq = 0;
    for (let i = 0; i < grad.length; i++) sq += (grad[i] as number) * (grad[i] as number);
    const norm = Math.sqrt(sq);
    const max = this.options.maxGradNorm;
    const scale = max !== undefined && norm > max ? max / norm : 1;
    this.t += 1;
    const { beta1, beta2, epsilon } = this;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const lr = this.options.learningRate;
    const m = this.m;
    const v = this.v;
    for (let i = 0; i < params.length; i++) {
      const g = (grad[i] as number) * scale;
      const mi = beta1 * (m[i] as number) + (1 - beta1) * g;
      const vi = beta2 * (v[i] as number) + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = Math.fround((params[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon));
    }
    return norm;
  }
}
