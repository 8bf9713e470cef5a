import type { MethodArgs, MethodName, MethodOutput } from '../../shared/contract';

/** Where a call came from; commands may log it or apply per-origin rules (a spoken order needs confirmation). */
export interface CallContext {
  readonly origin: 'ipc' | 'web' | 'cli' | 'test' | 'engine';
}

export type Handler<M extends MethodName> = (
  args: MethodArgs<M>,
  ctx: CallContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

/** One command per contract method; each domain contributes a slice and the engine checks the whole. */
export type Handlers = { [M in MethodName]: Handler<M> };
