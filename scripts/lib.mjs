// Helpers for the install and start scripts. Node built-ins only: these run before node_modules exists.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** Whether the Electron binary was downloaded (the electron package writes path.txt only after it was). */
export function electronBinary() {
  const dir = path.join(ROOT, 'node_modules', 'electron');
  let version = null;
  try {
    version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return { installed: false, version: null, path: null, why: 'the electron package is not installed' };
  }
  let relative = null;
  try {
    relative = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
  } catch {}
  const exe = relative ? path.join(dir, 'dist', relative) : null;
  if (exe && fs.existsSync(exe)) return { installed: true, version, path: exe, why: '' };
  return {
    installed: false,
    version,
    path: null,
    why: `Electron ${version}'s binary is not installed (its download from GitHub was skipped or failed)`,
  };
}

/** True when an HTTPS request to the host gets any answer within the time limit. */
export function reachable(url, timeoutMs = 4000) {
  return new Promise((resolve) => {
    const req = https.request(url, { method: 'HEAD', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Runs a command with inherited output; returns its exit code. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (result.error) {
    console.error(`Could not run ${command}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Where `npm start` / `npm test` remember which lock file (and Node version) node_modules was installed from. */
export const INSTALL_STAMP = path.join(ROOT, 'node_modules', '.swaggy-install-stamp');

export function lockDigest() {
  const lock = fs.readFileSync(path.join(ROOT, 'package-lock.json'));
  return crypto.createHash('sha256').update(lock).update(process.version).digest('hex');
}
