import { isMethodName, methods } from '../../shared/contract';
import { err, formatZodError, ok, type Result, toApiError } from '../../shared/result';
import type { Logger } from './config';
import type { CallContext, Handlers } from './handlers';

export type Dispatch = (method: unknown, input: unknown, ctx: CallContext) => Promise<Result<unknown>>;

export interface DispatcherOptions {
  /** Check every output against the contract; a mismatch is a bug and becomes INTERNAL. */
  validateOutputs?: boolean;
  log?: Logger;
}

/**
 * The one path from a host (IPC, WebSocket, CLI) to a command: checks the method name, parses the input with the
 * contract's schema, runs the command and turns every failure into `{ ok: false, error }`. It never throws.
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatch {
  return async (method, input, ctx) => {
    if (!isMethodName(method)) {
      return err('UNKNOWN_METHOD', `No API method is called ${JSON.stringify(method)}`);
    }
    const def = methods[method];
    const parsed = def.input.safeParse(input);
    if (!parsed.success) return err('BAD_INPUT', `${method}: ${formatZodError(parsed.error)}`);
    try {
      const handler = handlers[method] as (args: unknown, ctx: CallContext) => unknown;
      const value = await handler(parsed.data, ctx);
      if (options.validateOutputs) {
        const checked = def.output.safeParse(value);
        if (!checked.success) {
          options.log?.error(`${method} returned a value outside its contract`, checked.error.issues);
          return err('INTERNAL', `${method} returned an invalid result: ${formatZodError(checked.error)}`);
        }
      }
      return ok(value);
    } catch (e) {
      const error = toApiError(e);
      if (error.code === 'INTERNAL') options.log?.error(`${method} failed`, e);
      return { ok: false, error };
    }
  };
}
