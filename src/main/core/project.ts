import fs from 'node:fs';
import path from 'node:path';

/** The app's version from package.json in the project root. */
export function readPackageVersion(projectRoot: string): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Where the better-sqlite3 build for Electron is kept (Node's own build stays in node_modules). */
export function electronSqliteBindingPath(projectRoot: string): string {
  return path.join(projectRoot, 'node_modules', '.swaggy-electron', 'better_sqlite3.node');
}
