import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { AppError } from '../../shared/result';
import { findProjectRoot } from '../core/doctor/electron-binary';
import { createEngine, type Engine } from '../core/engine';
import { resolveDataDir } from '../core/paths';
import { readPackageVersion } from '../core/project';

/** What a CLI command gets: its arguments, output streams, and the engine (opened on first use). */
export interface CliContext {
  readonly args: readonly string[];
  readonly dataDir: string;
  readonly projectRoot: string;
  readonly out: NodeJS.WritableStream;
  readonly errOut: NodeJS.WritableStream;
  engine(): Engine;
  /** Calls an API method through the same dispatcher as the desk; throws AppError on `{ ok: false }`. */
  call<M extends MethodName>(method: M, input?: MethodInput<M>): Promise<MethodOutput<M>>;
  close(): Promise<void>;
}

export function createCliContext(
  args: readonly string[],
  streams: { out: NodeJS.WritableStream; errOut: NodeJS.WritableStream } = {
    out: process.stdout,
    errOut: process.stderr,
  },
): CliContext {
  const projectRoot = findProjectRoot(__dirname);
  const dataDir = resolveDataDir(args);
  let engine: Engine | undefined;
  const open = (): Engine => {
    if (!engine) {
      engine = createEngine({
        dataDir,
        mode: 'cli',
        version: readPackageVersion(projectRoot),
        projectRoot,
        loadMarket: false,
        timers: false,
      });
    }
    return engine;
  };
  return {
    args,
    dataDir,
    projectRoot,
    ...streams,
    engine: open,
    async call(method, input) {
      const result = await open().dispatch(method, input, { origin: 'cli' });
      if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
      return result.value as never;
    },
    async close() {
      await engine?.close();
    },
  };
}
