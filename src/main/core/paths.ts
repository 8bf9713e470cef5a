import os from 'node:os';
import path from 'node:path';

/** The folder name Electron uses for `app.getPath('userData')`, taken from package.json's productName. */
export const APP_DIR_NAME = 'Swaggy Stacks';

/**
 * The per-user data directory, the same one Electron's `userData` resolves to, so that the desktop app, browser
 * mode and the CLI share one database by default.
 */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env = process.env): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}

/** Environment variable that chooses the data directory in browser mode and the CLI. */
export const DATA_DIR_ENV = 'SWAGGY_DATA_DIR';

/** `--data-dir DIR` or `--data-dir=DIR` wins, then $SWAGGY_DATA_DIR, then the per-user default. */
export function resolveDataDir(argv: readonly string[], env = process.env): string {
  const fromFlag = readFlag(argv, '--data-dir');
  if (fromFlag) return path.resolve(fromFlag);
  const fromEnv = env[DATA_DIR_ENV];
  if (fromEnv) return path.resolve(fromEnv);
  return defaultDataDir();
}

/** Reads `--name value` or `--name=value` from an argument list. */
export function readFlag(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === name) return argv[i + 1];
    if (arg?.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

/** Environment variable that points the tests, the benchmarks and `evaluate` at the shared data folder. */
export const SHARED_DATA_ENV = 'SWAGGY_SHARED_DATA';

/**
 * The shared data folder (market/, news/ and PROVENANCE.md): $SWAGGY_SHARED_DATA when set, else `../shared/data`
 * beside the project, where a checkout next to the team's shared folder finds it. The one place that path is made.
 */
export function sharedDataDir(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[SHARED_DATA_ENV];
  return fromEnv ? path.resolve(fromEnv) : path.join(projectRoot, '..', 'shared', 'data');
}

/** Why a check that needs a shared data file is skipped, and how to point it at the data. */
export function sharedDataMissing(file: string, skipping: string): string {
  return `real data not found at ${file} (set ${SHARED_DATA_ENV} to the folder that holds market/ and news/; see PROVENANCE.md there); ${skipping}`;
}
