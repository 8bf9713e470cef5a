/**
 * The one API contract. The Electron preload, the browser-mode WebSocket twin, the main-side hosts and the
 * CLI all derive from these schemas, so a method exists everywhere or nowhere.
 *
 * Method names are `domain.verb`; events are `onX`.
 */
import type { z } from 'zod';
import type { Result } from '../result';
import { appEvents, appMethods } from './app';
import { brokerEvents, brokerMethods } from './broker';
import { cacheMethods } from './cache';
import { dataEvents, dataMethods } from './data';
import { engineEvents, engineMethods } from './engine';
import { intelEvents, intelMethods } from './intel';
import { marketEvents, marketMethods } from './market';
import { policyEvents, policyMethods } from './policy';
import { voiceEvents, voiceMethods } from './voice';

export const methods = {
  ...appMethods,
  ...dataMethods,
  ...marketMethods,
  ...brokerMethods,
  ...cacheMethods,
  ...intelMethods,
  ...policyMethods,
  ...engineMethods,
  ...voiceMethods,
} as const;

export const events = {
  ...appEvents,
  ...dataEvents,
  ...marketEvents,
  ...brokerEvents,
  ...intelEvents,
  ...policyEvents,
  ...engineEvents,
  ...voiceEvents,
} as const;

export type Methods = typeof methods;
export type Events = typeof events;
export type MethodName = keyof Methods;
export type EventName = keyof Events;

/** What a caller may send (defaults not yet applied). */
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
/** What the handler receives after parsing (defaults applied). */
export type MethodArgs<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

type DomainOf<M extends string> = M extends `${infer D}.${string}` ? D : never;
type VerbOf<M extends string, D extends string> = M extends `${D}.${infer V}` ? V : never;
export type Domain = DomainOf<MethodName>;

type MethodFn<M extends MethodName> =
  undefined extends MethodInput<M>
    ? (input?: MethodInput<M>) => Promise<Result<MethodOutput<M>>>
    : (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;

/** The shape of `window.api`: `api.app.info()`, `api.events.onSettingsChanged(cb)`. */
export type Api = {
  [D in Domain]: { [V in VerbOf<MethodName, D>]: MethodFn<Extract<`${D}.${V}`, MethodName>> };
} & {
  events: { [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void };
};
