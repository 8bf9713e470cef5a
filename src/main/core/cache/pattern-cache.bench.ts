/**
 * Micro-benchmark of the pattern cache on a real temporary SQLite file:
 *
 *   npx tsx src/main/core/cache/pattern-cache.bench.ts
 *
 * Prints one table (per-operation latency percentiles from individually timed calls, and throughput from untimed
 * loops). Not part of the test suite: timings depend on the machine and its load.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Bar } from '../../../shared/domain/market';
import { openDatabase } from '../db/database';
import { BarFingerprinter, fingerprintBars } from './bar-fingerprint';
import { cacheKey } from './cache-key';
import { type CacheSpec, PatternCache } from './pattern-cache';
import { PrefixStateCache, type StreamingModel } from './prefix-state-cache';

interface Row {
  what: string;
  n: number;
  p50Us: number;
  p99Us: number;
  opsPerSec: number;
}

const rows: Row[] = [];

/** Lets queued SQLite batches commit, as they do between bars in the app (the decode path is event-driven). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function measure(what: string, n: number, op: (i: number) => void): Promise<void> {
  for (let i = 0; i < Math.min(n, 2000); i++) {
    op(i); // warm-up (JIT, promotions)
    if (i % 64 === 63) await turn();
  }
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    op(i);
    samples[i] = performance.now() - t;
    if (i % 64 === 63) await turn();
  }
  // Throughput includes the batched SQLite commits that happen in the event-loop turns.
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    op(i);
    if (i % 64 === 63) await turn();
  }
  await turn();
  const totalMs = performance.now() - t0;
  samples.sort();
  const q = (p: number) => Math.round((samples[Math.min(n - 1, Math.floor(p * n))] as number) * 1000 * 100) / 100;
  rows.push({ what, n, p50Us: q(0.5), p99Us: q(0.99), opsPerSec: Math.round(n / (totalMs / 1000)) });
}

function makeBars(n: number): Bar[] {
  let p = 100;
  return Array.from({ length: n }, (_, i) => {
    p *= 1 + Math.sin(i) * 0.01;
    return { t: 1_600_000_000_000 + i * 60_000, o: p, h: p * 1.01, l: p * 0.99, c: p, v: 1000 + i };
  });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swaggy-cache-bench-'));
  try {
    const db = openDatabase(path.join(dir, 'swaggy.db'));
    const clock = { domain: 'wall' as const, now: () => 1_700_000_000_000 };
    const value = { patterns: [{ name: 'bull-flag', from: 940, to: 999, confidence: 0.71 }], trend: 'up', score: 0.42 };
    const filed = { namespace: 'pattern', slot: 'moonshot', modelVersion: '1', ttlClass: 'analysis' } as const;

    // Memory tier.
    const cache = new PatternCache({ db, clock, sweepIntervalMs: 0 });
    const keys = Array.from({ length: 10_000 }, (_, i) =>
      cacheKey({ slot: 'moonshot', modelVersion: '1', params: { i }, inputFingerprint: 'x' }),
    );
    await measure('put (200 B JSON value, batched SQLite)', 10_000, (i) =>
      cache.put(keys[i % keys.length] as string, value, filed),
    );
    cache.flush();
    await measure('get: memory hit', 200_000, (i) => cache.get(keys[i % keys.length] as string));

    const bars = makeBars(1000);
    const series = { symbol: 'AAPL', timeframe: '1m' as const, version: 3 };
    await measure('fingerprintBars (1,000 bars)', 5_000, () => fingerprintBars(bars, series));
    const fp = fingerprintBars(bars, series);
    await measure('cacheKey (small params)', 100_000, (i) =>
      cacheKey({ slot: 'internlm2', modelVersion: '1', params: { rsi: 14, ema: 20, i: i & 7 }, inputFingerprint: fp }),
    );
    await measure('fingerprint 1,000 bars + cacheKey', 5_000, () =>
      cacheKey({
        slot: 'internlm2',
        modelVersion: '1',
        params: { rsi: 14 },
        inputFingerprint: fingerprintBars(bars, series),
      }),
    );
    const rolling = new BarFingerprinter();
    for (const b of bars) rolling.append(b);
    await measure('rolling fingerprint: append 1 bar + digest', 50_000, (i) => {
      rolling.append({ ...(bars[i % 1000] as Bar), t: 2e12 + i });
      rolling.digest();
    });

    const spec: CacheSpec = {
      slot: 'internlm2',
      modelVersion: '1',
      params: { rsi: 14 },
      inputFingerprint: fp,
      namespace: 'model_analysis',
      ttlClass: 'analysis',
    };
    cache.getOrComputeSync(spec, () => value);
    await measure('getOrComputeSync: warm (key + memory hit)', 100_000, () =>
      cache.getOrComputeSync(spec, () => value),
    );

    // A warm decision: the seven slots' results plus the DQN's for the latest bar, each found by its spec.
    const slotIds = ['internlm2', 'moonshot', 'deepseek', 'yi', 'chatglm', 'minimax', 'dqn', 'qwen'];
    const specs: CacheSpec[] = slotIds.map((slot) => ({
      slot,
      modelVersion: '1',
      params: { kind: 'analysis', horizon: 5 },
      inputFingerprint: rolling.digest(),
      namespace: slot === 'qwen' ? 'decision' : 'model_analysis',
      ttlClass: 'signal',
    }));
    for (const s of specs) cache.getOrComputeSync(s, () => value);
    await measure('decision: 8 slot results by spec (warm)', 20_000, () => {
      for (const s of specs) cache.getOrComputeSync(s, () => value);
    });
    cache.close();

    // SQLite tier: no memory budget, so every lookup reads, decodes and parses a row.
    for (const encrypted of [false, true]) {
      const c = new PatternCache({
        db,
        clock,
        sweepIntervalMs: 0,
        memoryMaxBytes: 0,
        encryptionKey: encrypted ? randomBytes(32) : null,
      });
      c.clear();
      for (const k of keys) c.put(k, value, filed);
      c.flush();
      await measure(`get: SQLite-tier hit${encrypted ? ' (AES-256-GCM)' : ''}`, 20_000, (i) =>
        c.get(keys[i % keys.length] as string),
      );
      c.close();
    }

    // Prefix reuse: extend a 1,000-bar series by one bar (resume from the stored tail, one step, store the new tail).
    const pc = new PatternCache({ db, clock, sweepIntervalMs: 0 });
    const prefix = new PrefixStateCache({ cache: pc });
    const model: StreamingModel<{ ema: number; n: number }> = {
      slot: 'internlm2',
      modelVersion: 'bench',
      params: { ema: 20 },
      init: () => ({ ema: 0, n: 0 }),
      step: (s, b) => {
        s.ema = s.n === 0 ? b.c : s.ema + (2 / 21) * (b.c - s.ema);
        s.n++;
        return s;
      },
    };
    const long = makeBars(3000);
    prefix.run(model, long.slice(0, 1000));
    let len = 1000;
    await measure('prefix run: 1,000+ bars extended by 1 bar', 1500, () => {
      len++;
      prefix.run(model, long.slice(0, len));
    });
    const stream = prefix.open(model, long.slice(0, 1000));
    let t = long[999]?.t ?? 0;
    await measure('prefix stream: append 1 bar (step + hash + store)', 20_000, (i) => {
      t += 60_000;
      stream.append({ ...(long[i % 3000] as Bar), t });
    });
    pc.close();
    db.close();

    console.log(
      `pattern cache bench, node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`,
    );
    console.table(rows);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
