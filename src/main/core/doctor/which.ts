import fs from 'node:fs';
import path from 'node:path';

/** Finds an executable on PATH without a shell; null when absent. */
export function which(command: string, env = process.env): string | null {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** The first of several alternative commands that is installed. */
export function whichAny(commands: readonly string[], env = process.env): string | null {
  for (const command of commands) {
    const found = which(command, env);
    if (found) return found;
  }
  return null;
}
