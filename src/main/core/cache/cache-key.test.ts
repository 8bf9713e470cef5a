import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result';
import { type CacheKeySpec, cacheKey, cacheKeyer, symbolTag } from './cache-key';
import { canonicalJson, deepFreeze, strictJsonStringify } from './canonical-json';

const spec: CacheKeySpec = {
  slot: 'moonshot',
  modelVersion: '1.2.0',
  params: { lookback: 50 },
  inputFingerprint: 'bars:abc',
};

/** JSON-only values, with no -0 (canonically equal to 0) so that "different" really means different. */
const jsonValue = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);

describe('canonicalJson', () => {
  it('is independent of key order and equal to JSON for plain values', () => {
    expect(canonicalJson({ b: 2, a: [1, { d: 'x', c: null }] })).toBe('{"a":[1,{"c":null,"d":"x"}],"b":2}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson({ a: 1, skip: undefined })).toBe('{"a":1}');
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(JSON.parse(canonicalJson(v))).toEqual(v);
      }),
    );
  });

  it('refuses values JSON would silently change, naming where they are', () => {
    for (const [bad, where] of [
      [{ a: Number.NaN }, '$.a'],
      [{ a: [1, Number.POSITIVE_INFINITY] }, '$.a[1]'],
      [[undefined], '$[0]'],
      [{ at: new Date(0) }, '$.at'],
      [{ n: 1n }, '$.n'],
      [{ f: () => 1 }, '$.f'],
      [{ m: new Map() }, '$.m'],
    ] as const) {
      expect(() => canonicalJson(bad)).toThrow(AppError);
      expect(() => canonicalJson(bad)).toThrow(where);
    }
  });

  it('strictJsonStringify refuses NaN and Infinity instead of writing null', () => {
    expect(strictJsonStringify({ a: 1 })).toBe('{"a":1}');
    expect(() => strictJsonStringify({ ema: Number.NaN })).toThrow(/ema is NaN/);
    expect(() => strictJsonStringify(undefined)).toThrow(AppError);
    expect(() => strictJsonStringify({ deep: [{ x: [1, Number.POSITIVE_INFINITY] }] })).toThrow(/Infinity/);
    expect(() => strictJsonStringify({ n: 1n })).toThrow(/bigint/);
    expect(strictJsonStringify({ d: new Date(0) })).toBe('{"d":"1970-01-01T00:00:00.000Z"}');
  });

  it('strictJsonStringify writes exactly what JSON.stringify writes for plain JSON values', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(strictJsonStringify(v)).toBe(JSON.stringify(v));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('deepFreeze freezes nested objects and arrays', () => {
    const v = deepFreeze({ a: { b: [1, { c: 2 }] } });
    expect(Object.isFrozen(v.a.b[1])).toBe(true);
    expect(() => {
      (v.a.b as unknown[]).push(3);
    }).toThrow(TypeError);
  });
});

describe('cacheKey', () => {
  it('is a fixed-size digest, stable under params key order', () => {
    const k = cacheKey(spec);
    expect(k).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cacheKey({ ...spec, params: { lookback: 50 } })).toBe(k);
    expect(cacheKey({ ...spec, params: { x: 1, y: [2, 3] } })).toBe(cacheKey({ ...spec, params: { y: [2, 3], x: 1 } }));
  });

  it('differs whenever any component differs (property)', () => {
    const component = fc.record({
      slot: fc.string({ minLength: 1, maxLength: 12 }),
      modelVersion: fc.string({ minLength: 1, maxLength: 8 }),
      params: jsonValue,
      inputFingerprint: fc.string({ minLength: 1, maxLength: 20 }),
    });
    // b is a copy of a with at most one component replaced, so a key that ignored any component would be caught.
    const which = fc.constantFrom('none', 'slot', 'modelVersion', 'params', 'inputFingerprint');
    fc.assert(
      fc.property(component, component, which, (a, other, field) => {
        const b = field === 'none' ? { ...a } : { ...a, [field]: other[field] };
        const same =
          a.slot === b.slot &&
          a.modelVersion === b.modelVersion &&
          canonicalJson(a.params) === canonicalJson(b.params) &&
          a.inputFingerprint === b.inputFingerprint;
        expect(cacheKey(a) === cacheKey(b)).toBe(same);
      }),
      { numRuns: 3000 },
    );
  });

  it('cannot be confused by delimiters inside the parts', () => {
    expect(cacheKey({ ...spec, slot: 'a|b', modelVersion: 'c' })).not.toBe(
      cacheKey({ ...spec, slot: 'a', modelVersion: 'b|c' }),
    );
    expect(cacheKey({ ...spec, slot: 'a","b' })).not.toBe(
      cacheKey({ ...spec, slot: 'a', modelVersion: `b","${spec.modelVersion}` }),
    );
  });

  it('cacheKeyer gives the same keys as cacheKey', () => {
    const keyer = cacheKeyer(spec);
    expect(keyer(spec.inputFingerprint)).toBe(cacheKey(spec));
    expect(keyer('bars:other')).toBe(cacheKey({ ...spec, inputFingerprint: 'bars:other' }));
    expect(() => keyer('')).toThrow(/input fingerprint/);
  });

  it('refuses an incomplete spec', () => {
    expect(() => cacheKey({ ...spec, modelVersion: '' })).toThrow(/model version/);
    expect(() => cacheKey({ ...spec, inputFingerprint: '' })).toThrow(/input fingerprint/);
    expect(() => cacheKey({ ...spec, slot: '' })).toThrow(/slot/);
    expect(() => cacheKey({ ...spec, params: { x: Number.NaN } })).toThrow(/NaN/);
  });

  it('symbolTag normalises the ticker', () => {
    expect(symbolTag(' aapl ')).toBe('symbol:AAPL');
  });
});
