/**
 * Test fixtures: real temporary folders and real engines on real SQLite files. Nothing here is a mock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type EngineConfig, silentLogger } from '../config';
import type { Dispatch } from '../dispatch';
import { createEngine, type Engine } from '../engine';
import { sharedDataDir } from '../paths';

const made: string[] = [];

/** A fresh temporary folder, removed by {@link cleanupTempDirs}. */
export function makeTempDir(prefix = 'swaggy-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The real data the tests read ($SWAGGY_SHARED_DATA, else ../shared/data); tests skip when it is absent. */
export const SHARED_DATA = sharedDataDir(PROJECT_ROOT);

export interface TestEngine {
  engine: Engine;
  dispatch: Dispatch;
  dataDir: string;
}

/** An engine on a new data folder with output validation on, as the tests of every domain use it. */
export function createTestEngine(
  options: {
    dataDir?: string;
    wallClock?: () => number;
    loadMarket?: boolean;
    scheduler?: EngineConfig['scheduler'];
  } = {},
): TestEngine {
  const dataDir = options.dataDir ?? makeTempDir();
  const engine = createEngine({
    dataDir,
    mode: 'test',
    version: '0.0.0-test',
    projectRoot: PROJECT_ROOT,
    validateOutputs: true,
    wallClock: options.wallClock ?? (() => 1_700_000_000_000),
    log: silentLogger,
    workers: 1,
    timers: false,
    loadMarket: options.loadMarket ?? false,
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  return { engine, dispatch: engine.dispatch, dataDir };
}
