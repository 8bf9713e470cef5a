import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyStatus } from '../../../shared/domain/policy';
import type { Progress } from '../../../shared/domain/progress';
import { silentLogger } from '../config';
import { type Db, openDatabase } from '../db/database';
import { BarStore } from '../market/bar-store';
import { cleanupTempDirs, makeTempDir } from '../testing/fixtures';
import { WorkerPool } from '../workers/pool';
import type { BarSeries } from './bar-series';
import { defaultModelFile, userModelFile } from './default-model';
import { policyDoctorCheck, policyHandlers } from './policy-handlers';
import { probeCuda, vulkanLoaderPresent, WEBGPU_NOT_TRIED } from './policy-runtime';
import { PolicyService } from './policy-service';
import { LruQValueCache } from './q-value-cache';
import { randomWalkSeries } from './testing/random-walk';
import { type TrainedPolicy, trainPolicyModel } from './train-policy';

let trained: TrainedPolicy;
const open: { db?: Db; pool?: WorkerPool; service?: PolicyService }[] = [];

beforeAll(() => {
  trained = trainPolicyModel({
    series: [randomWalkSeries({ bars: 600, seed: 14, momentum: 0.3 })],
    source: 'test walk',
    config: { hidden: [16], episodes: 4, episodeLength: 128, learnStart: 200, evalEvery: 2 },
  });
});

afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.service?.close();
    await o.pool?.close();
    o.db?.close();
  }
});
afterAll(() => cleanupTempDirs());

function storeSeries(store: BarStore, s: BarSeries): void {
  store.writeSeries({ ...s, source: 'imported', n: s.t.length }, { importId: null, atMs: 1 });
}

function setup(
  options: { shipModel?: boolean; userModel?: Uint8Array; symbols?: BarSeries[]; platformProviders?: boolean } = {},
) {
  const resourcesRoot = makeTempDir('swaggy-res-');
  const dataDir = makeTempDir('swaggy-data-');
  if (options.shipModel !== false) {
    fs.mkdirSync(path.dirname(defaultModelFile(resourcesRoot)), { recursive: true });
    fs.writeFileSync(defaultModelFile(resourcesRoot), trained.bytes);
  }
  if (options.userModel) {
    fs.mkdirSync(path.dirname(userModelFile(dataDir)), { recursive: true });
    fs.writeFileSync(userModelFile(dataDir), options.userModel);
  }
  const db = openDatabase(path.join(dataDir, 'swaggy.db'));
  const store = new BarStore(db);
  for (const s of options.symbols ?? []) storeSeries(store, s);
  const pool = new WorkerPool(1);
  const progress: Progress[] = [];
  const changes: PolicyStatus[] = [];
  const service = new PolicyService({
    dataDir,
    resourcesRoot,
    pool,
    bars: store,
    watchlist: () => ['AAA', 'BBB', 'CCC'],
    emitProgress: (p) => progress.push(p),
    emitChanged: (s) => changes.push(s),
    log: silentLogger,
    cache: new LruQValueCache(),
    // The platform's own provider list (as the desk uses) when asked; CPU alone keeps the other tests quiet.
    providers: options.platformProviders ? undefined : ['cpu'],
    wallClock: () => 1_700_000_000_000,
  });
  open.push({ db, pool, service });
  return { service, store, dataDir, resourcesRoot, progress, changes, handlers: policyHandlers(service) };
}

const ctx = { origin: 'test' } as const;

describe('PolicyService', () => {
  it('loads the shipped model and reports file, version, provider and metrics', async () => {
    const { service, resourcesRoot } = setup();
    const status = await service.start();
    expect(status.available).toBe(true);
    expect(status.origin).toBe('default');
    expect(status.modelFile).toBe(defaultModelFile(resourcesRoot));
    expect(status.version).toBe(trained.metadata.version);
    expect(status.provider).toBe('cpu');
    expect(status.metadata?.metrics.validation.bars).toBeGreaterThan(0);
    expect(policyDoctorCheck(status)).toMatchObject({ status: 'ok', detail: expect.stringContaining('on cpu') });
  });

  it("says which providers were not tried, and doctor stays ok on a healthy machine's notes", async () => {
    const { service } = setup({ platformProviders: true });
    const status = await service.start();
    expect(status.available).toBe(true);
    const check = policyDoctorCheck(status);
    // A working model on the CPU is healthy, whatever accelerators this machine lacks.
    expect(check.status).toBe('ok');
    for (const note of status.warnings) expect(check.detail).toContain(note);
    const cuda = probeCuda();
    if (cuda.notTried) expect(status.warnings).toContain(cuda.notTried);
    if (process.platform === 'linux' && !vulkanLoaderPresent()) expect(status.warnings).toContain(WEBGPU_NOT_TRIED);
  });

  it('marks doctor warn for a model problem, never for provider notes alone', () => {
    const base: PolicyStatus = {
      available: true,
      modelFile: '/models/dqn-policy.onnx',
      origin: 'default',
      version: 'dqn-features-v1-000000000000',
      provider: 'cpu',
      warnings: [],
      error: null,
      metadata: null,
      training: null,
    };
    const notes = [
      probeCuda('linux', [{ name: 'cuda', bundled: false }], null).notTried as string,
      WEBGPU_NOT_TRIED,
      'Execution provider cuda failed to start (libcudart.so.12: cannot open shared object file); falling back to cpu',
    ];
    expect(policyDoctorCheck({ ...base, warnings: notes })).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('CUDA not tried'),
    });
    const broken = 'The policy model /data/models/dqn-policy.onnx is not a valid ONNX file';
    expect(policyDoctorCheck({ ...base, warnings: [...notes, broken] }).status).toBe('warn');
  });

  it('keeps working without a model, and says why, naming the file', async () => {
    const { service, handlers, resourcesRoot } = setup({ shipModel: false });
    const status = await service.start();
    expect(status.available).toBe(false);
    expect(status.error).toContain(defaultModelFile(resourcesRoot));
    expect(policyDoctorCheck(status).status).toBe('warn');
    await expect(Promise.resolve().then(() => handlers['policy.actions'](undefined, ctx))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('not found'),
    });
    expect(handlers['policy.status'](undefined, ctx)).toMatchObject({ available: false });
  });

  it('falls back from a corrupt retrained model to the shipped one with a warning naming the file', async () => {
    const { service, dataDir } = setup({ userModel: new Uint8Array([8, 1, 2, 3, 4, 5, 6, 7]) });
    const status = await service.start();
    expect(status.available).toBe(true);
    expect(status.origin).toBe('default');
    expect(status.warnings.join('\n')).toContain(userModelFile(dataDir));
    expect(policyDoctorCheck(status).status).toBe('warn');
  });

  it('decides for every symbol in one batch, caches the Q-values, and explains symbols it cannot decide', async () => {
    const a = randomWalkSeries({ bars: 300, seed: 1, symbol: 'AAA' });
    const b = randomWalkSeries({ bars: 300, seed: 2, symbol: 'BBB' });
    const short = randomWalkSeries({ bars: 20, seed: 3, symbol: 'CCC' });
    const { service, handlers } = setup({ symbols: [a, b, short] });
    await service.start();
    const first = await handlers['policy.actions']({ timeframe: '1d', positions: { BBB: 'long' } }, ctx);
    expect(first.decisions.map((d) => d.symbol)).toEqual(['AAA', 'BBB', 'CCC']);
    const [da, db, dc] = first.decisions;
    expect(da?.qValues).toHaveLength(3);
    expect(da?.action).toMatch(/^(short|flat|long)$/);
    expect(da?.cached).toBe(false);
    expect(da?.t).toBe(a.t[299]);
    expect(db?.position).toBe('long');
    expect(dc?.action).toBeNull();
    expect(dc?.reason).toMatch(/CCC has 20 1d bars; the policy needs/);

    const again = await handlers['policy.actions']({ timeframe: '1d', positions: { BBB: 'long' } }, ctx);
    expect(again.decisions[0]?.cached).toBe(true);
    expect(again.decisions[0]?.qValues).toEqual(da?.qValues);
    // A different position is a different state: not served from the cache.
    const flat = await handlers['policy.actions']({ symbols: ['BBB'], timeframe: '1d' }, ctx);
    expect(flat.decisions[0]?.cached).toBe(false);
    expect(flat.decisions[0]?.qValues).not.toEqual(db?.qValues);
  });

  it('retrains on imported data in a worker with progress, then switches to the new model', async () => {
    const series = [randomWalkSeries({ bars: 500, seed: 5, symbol: 'AAA', momentum: 0.3 })];
    const { service, handlers, progress, changes, dataDir } = setup({ symbols: series });
    await service.start();
    const { taskId } = await handlers['policy.train'](
      {
        source: 'imported',
        timeframe: '1d',
        seed: 3,
        episodes: 3,
        syntheticSeed: 42,
        fromDay: '2010-01-01',
        toDay: '2010-12-31',
      },
      ctx,
    );
    expect(service.status().training).toMatchObject({ taskId, state: 'running' });
    expect(() =>
      service.train({
        source: 'imported',
        timeframe: '1d',
        seed: 3,
        episodes: 3,
        syntheticSeed: 42,
        fromDay: '2010-01-01',
        toDay: '2010-12-31',
      }),
    ).toThrow(/already running/);
    await service.settled();
    const status = service.status();
    expect(status.training).toMatchObject({ taskId, state: 'done' });
    expect(status.origin).toBe('user');
    expect(status.modelFile).toBe(userModelFile(dataDir));
    expect(status.metadata?.data.symbols).toEqual(['AAA']);
    expect(status.metadata?.data.source).toContain('imported');
    expect(progress.every((p) => p.taskId === taskId && p.kind === 'train')).toBe(true);
    expect(progress.filter((p) => p.state === 'running' && p.unit === 'episodes').map((p) => p.done)).toContain(3);
    expect(progress.at(-1)).toMatchObject({ state: 'done', message: expect.stringContaining('validation return') });
    expect(changes.at(-1)?.origin).toBe('user');
    // Back to the shipped model on request.
    const reset = await handlers['policy.reload']({ useDefault: true }, ctx);
    expect(reset.origin).toBe('default');
    expect(fs.existsSync(userModelFile(dataDir))).toBe(false);
  });

  it('cancels a training and keeps the model in use', async () => {
    const series = [randomWalkSeries({ bars: 1500, seed: 6, symbol: 'AAA' })];
    const { service, handlers, progress } = setup({ symbols: series });
    await service.start();
    const before = service.status().version;
    const { taskId } = service.train({
      source: 'imported',
      timeframe: '1d',
      seed: 1,
      episodes: 2000,
      syntheticSeed: 42,
      fromDay: '2010-01-01',
      toDay: '2010-12-31',
    });
    while (!progress.some((p) => p.unit === 'episodes' && p.done >= 1)) await new Promise((r) => setTimeout(r, 20));
    expect(handlers['policy.cancelTraining']({ taskId }, ctx)).toEqual({ cancelled: true });
    await service.settled();
    expect(service.status().training).toMatchObject({ state: 'cancelled' });
    expect(service.status().version).toBe(before);
    expect(service.status().origin).toBe('default');
    expect(progress.at(-1)).toMatchObject({ state: 'cancelled' });
  });

  it('refuses to train on imported data when none is stored', async () => {
    const { service } = setup();
    await service.start();
    expect(() =>
      service.train({
        source: 'imported',
        timeframe: '1d',
        seed: 1,
        episodes: 2,
        syntheticSeed: 42,
        fromDay: '2010-01-01',
        toDay: '2010-12-31',
      }),
    ).toThrow(/No imported 1d bars/);
    expect(service.status().training).toBeNull();
  });

  it('evaluates on imported data against buy-and-hold and random, writing the equity plot', async () => {
    const series = [randomWalkSeries({ bars: 600, seed: 8, symbol: 'AAA' })];
    const { service, handlers } = setup({ symbols: series });
    await service.start();
    const report = await handlers['policy.evaluate']({ source: 'imported', timeframe: '1d' }, ctx);
    expect(report.rows.map((r) => r.policy)).toEqual(['dqn', 'buy-and-hold', 'random']);
    expect(report.rows.every((r) => r.dataset === 'AAA')).toBe(true);
    expect(report.plots).toHaveLength(1);
    expect(fs.readFileSync(report.plots[0] as string, 'utf8')).toMatch(/^<svg[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
  });
});
