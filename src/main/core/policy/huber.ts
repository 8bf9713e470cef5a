/**
 * Huber loss of the Q-values of the taken actions against their TD targets, averaged over the batch, and its
 * gradient with respect to every Q-value (zero for the actions not taken). Quadratic within ±`kappa`, linear
 * beyond, so one surprising reward cannot blow up a step.
 *
 * @param q batch × actionCount Q-values from the online network's forward pass.
 * @param dq written: the gradient, same shape as `q`.
 */
export function huberLoss(
  q: ArrayLike<number>,
  actions: ArrayLike<number>,
  targets: ArrayLike<number>,
  batch: number,
  actionCount: number,
  dq: Float64Array,
  kappa = 1,
): number {
  dq.fill(0, 0, batch * actionCount);
  let loss = 0;
  for (let i = 0; i < batch; i++) {
    const index = i * actionCount + (actions[i] as number);
    const delta = (q[index] as number) - (targets[i] as number);
    const abs = Math.abs(delta);
    if (abs <= kappa) {
      loss += 0.5 * delta * delta;
      dq[index] = delta / batch;
    } else {
      loss += kappa * (abs - 0.5 * kappa);
      dq[index] = (delta > 0 ? kappa : -kappa) / batch;
    }
  }
  return loss / batch;
}
