import type { AppMode } from '../../shared/contract/app';

/** Everything the engine needs from its host. No Electron types: the engine runs in Electron, Node and tests. */
export interface EngineConfig {
  /** Folder for the database and other user files; created if missing. */
  dataDir: string;
  mode: AppMode;
  /** The app's version, from package.json. */
  version: string;
  /** The project folder (for locating bundled resources and reporting the Electron binary). */
  projectRoot: string;
  /** better_sqlite3.node built for the running runtime, when it is not Node's own. */
  sqliteNativeBinding?: string;
  /** Validate every handler's output against the contract (tests turn this on). */
  validateOutputs?: boolean;
  /** Wall clock for audit timestamps; market time never comes from here. */
  wallClock?: () => number;
  log?: Logger;
  /** Worker threads for heavy work (imports, training); default: cores - 1, at least 1. */
  workers?: number;
  /** Wall-clock timers for the replay's pacing and batching (tests pass a ManualScheduler). */
  scheduler?: import('./market/replay/scheduler').Scheduler;
  /** Load the last (or the simulated) market at start-up; otherwise it loads on first use. Default true. */
  loadMarket?: boolean;
  /** Background timers (cache sweep, saving the replay position); tests turn them off. Default true. */
  timers?: boolean;
  /** Extra environment for the recorder and speech engines (a private PulseAudio in the voice tests). */
  audioEnv?: Readonly<Record<string, string>>;
  /**
   * Speak alerts aloud. Default: on in the desk (Electron and browser mode), off in the CLI and tests, where every
   * alert would spawn a speech process on the engine's thread (and a benchmark would time it).
   */
  speech?: boolean;
}

export interface Logger {
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (m, d) => (d === undefined ? console.log(m) : console.log(m, d)),
  warn: (m, d) => (d === undefined ? console.warn(m) : console.warn(m, d)),
  error: (m, d) => (d === undefined ? console.error(m) : console.error(m, d)),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
