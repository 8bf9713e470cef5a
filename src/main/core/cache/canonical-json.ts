import { AppError } from '../../../shared/result';

/** A value that survives a JSON round trip unchanged: what the cache stores and what params may contain. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * JSON with object keys in sorted order, so `{a:1,b:2}` and `{b:2,a:1}` give the same text (and the same cache
 * key). Refuses what JSON would silently change: NaN and ±Infinity (JSON writes `null`, so two different params
 * would share a key), `undefined` in arrays, functions, symbols, bigints and class instances (Date, Map, typed
 * arrays), whose JSON form loses what they are. Object properties that are `undefined` are left out, as JSON does.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, where: string): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw notJson(where, String(value));
      // -0 and 0 are the same parameter.
      return value === 0 ? '0' : JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item = value[i];
          if (item === undefined) throw notJson(`${where}[${i}]`, 'undefined');
          out += encode(item, `${where}[${i}]`);
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw notJson(where, `a ${(value as object).constructor?.name ?? 'non-plain'} object`);
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const item = record[k];
        if (item === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(k)}:${encode(item, `${where}.${k}`)}`;
      }
      return `${out}}`;
    }
    default:
      throw notJson(where, typeof value);
  }
}

function notJson(where: string, what: string): AppError {
  return new AppError('BAD_INPUT', `Cache keys and values must be plain JSON, but ${where} is ${what}`);
}

/**
 * `JSON.stringify` that throws instead of silently turning NaN or ±Infinity into `null`: a restored streaming state
 * with `null` where a number was would compute `null + 1 = 1` without a word.
 */
export function strictJsonStringify(value: unknown): string {
  // A replacer function makes JSON.stringify several times slower, and this runs on every cache put of the decode
  // path; so check the numbers in one walk, then let the native serialiser do the writing.
  if (!allFinite(value, 0)) return JSON.stringify(value, strictReplacer) as string;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    if (e instanceof TypeError && /bigint/i.test(e.message)) throw notJson('$', 'a bigint');
    throw e;
  }
  if (typeof text !== 'string') throw notJson('$', typeof value);
  return text;
}

/**
 * True when every number reachable through plain arrays and objects is finite and there is no bigint. False also
 * for what the walk does not follow (objects with toJSON, very deep nesting), which then takes the slow, exact path.
 */
function allFinite(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value);
    case 'bigint':
      return false;
    case 'object': {
      if (value === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!allFinite(value[i], depth + 1)) return false;
        return true;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
      for (const k in value as Record<string, unknown>) {
        if (!Object.hasOwn(value as object, k)) continue;
        if (!allFinite((value as Record<string, unknown>)[k], depth + 1)) return false;
      }
      return true;
    }
    default:
      return true;
  }
}

function strictReplacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw notJson(key === '' ? '$' : key, String(value));
  if (typeof value === 'bigint') throw notJson(key === '' ? '$' : key, 'a bigint');
  return value;
}

/** Freezes a parsed JSON value all the way down, so a reader cannot change what the next reader gets. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}
