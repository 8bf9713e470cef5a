import { z } from 'zod';

/** One API method: what the caller sends and what it gets back on success. */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One line for `help` and the docs: what the method does. */
  readonly summary: string;
}

/** Declares a method; keeps the schema types for inference. */
export function method<I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>): MethodDef<I, O> {
  return def;
}

/** Input of a method that takes no arguments: `{}` or nothing at all. */
export const noInput = z.object({}).strict().optional();

/** One event: the payload every subscriber receives. */
export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

export function event<P extends z.ZodType>(def: EventDef<P>): EventDef<P> {
  return def;
}
