import { describe, expect, it } from 'vitest';
import { Adam } from './adam';
import { huberLoss } from './huber';
import { Mlp } from './mlp';
import { Prng } from './prng';

function lossOf(net: Mlp, x: Float64Array, actions: Int32Array, targets: Float64Array, batch: number): number {
  const q = net.forward(x, batch);
  return huberLoss(q, actions, targets, batch, net.layout.outputSize, new Float64Array(q.length), 1);
}

describe('Mlp', () => {
  it('back-propagates the Huber loss exactly as finite differences measure it', () => {
    const layout = { inputSize: 7, hidden: [6, 5], outputSize: 3 };
    const net = Mlp.create(layout, 11);
    const prng = new Prng(5);
    // Larger output weights and random biases than the initialiser gives, so both Huber branches are exercised.
    for (let i = 0; i < net.params.length; i++) net.params[i] = prng.normal() * 0.8;
    const batch = 9;
    const x = Float64Array.from({ length: batch * layout.inputSize }, () => prng.normal());
    const actions = Int32Array.from({ length: batch }, () => prng.int(3));
    const targets = Float64Array.from({ length: batch }, () => prng.normal() * 2);

    const q = net.forward(x, batch);
    const dq = new Float64Array(q.length);
    huberLoss(q, actions, targets, batch, 3, dq, 1);
    const grad = new Float64Array(net.params.length);
    net.backward(dq, batch, grad);

    const h = 1e-6;
    let checked = 0;
    let worst = 0;
    for (let i = 0; i < net.params.length; i++) {
      const saved = net.params[i] as number;
      net.params[i] = saved + h;
      const up = lossOf(net, x, actions, targets, batch);
      net.params[i] = saved - h;
      const down = lossOf(net, x, actions, targets, batch);
      net.params[i] = saved;
      const numeric = (up - down) / (2 * h);
      const analytic = grad[i] as number;
      const error = Math.abs(numeric - analytic) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic));
      worst = Math.max(worst, error);
      checked++;
    }
    expect(checked).toBe(net.parameterCount);
    expect(worst).toBeLessThan(1e-5);
    // The gradient is not trivially zero.
    expect(grad.some((g) => Math.abs(g) > 1e-3)).toBe(true);
  });

  it('initialises identically from the same seed and differently from another', () => {
    const layout = { inputSize: 10, hidden: [8], outputSize: 3 };
    expect(Mlp.create(layout, 1).params).toEqual(Mlp.create(layout, 1).params);
    expect(Mlp.create(layout, 1).params).not.toEqual(Mlp.create(layout, 2).params);
  });

  it('keeps every weight exactly representable in float32 through training', () => {
    const layout = { inputSize: 4, hidden: [8], outputSize: 3 };
    const net = Mlp.create(layout, 3);
    const adam = new Adam(net.parameterCount, { learningRate: 1e-2, maxGradNorm: 10 });
    const prng = new Prng(9);
    const grad = new Float64Array(net.parameterCount);
    const batch = 16;
    const x = Float64Array.from({ length: batch * 4 }, () => prng.normal());
    const actions = Int32Array.from({ length: batch }, () => prng.int(3));
    // A learnable target: the Q-value of action a is the sum of the inputs times (a - 1).
    const targets = Float64Array.from({ length: batch }, (_, i) => {
      let s = 0;
      for (let k = 0; k < 4; k++) s += x[i * 4 + k] as number;
      return s * ((actions[i] as number) - 1);
    });
    const before = lossOf(net, x, actions, targets, batch);
    for (let step = 0; step < 300; step++) {
      const q = net.forward(x, batch);
      const dq = new Float64Array(q.length);
      huberLoss(q, actions, targets, batch, 3, dq);
      net.backward(dq, batch, grad);
      adam.step(net.params, grad);
    }
    const after = lossOf(net, x, actions, targets, batch);
    expect(after).toBeLessThan(before * 0.2);
    for (const p of net.params) expect(Math.fround(p)).toBe(p);
  });
});
