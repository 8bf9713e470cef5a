// Helpers for the install and start scripts. Node built-ins only: these run before node_modules exists.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
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

/** Signals a parent passes on to its child: `kill <pid>` reaches only the parent, and Ctrl+C may too. */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs a command with inherited output and resolves with its exit code (128 + the signal's number when a signal
 * ended it, as a shell reports it). SIGINT, SIGTERM and SIGHUP sent to this process are passed on to the child, so
 * killing `npm start` stops the app too instead of leaving browser.js (or Electron) running as an orphan. The
 * parent waits for the child to exit before it goes.
 */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
    } catch (error) {
      console.error(`Could not run ${command}: ${error instanceof Error ? error.message : error}`);
      resolve(1);
      return;
    }
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const done = (code) => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
      resolve(code);
    };
    child.once('error', (error) => {
      console.error(`Could not run ${command}: ${error.message}`);
      done(1);
    });
    child.once('exit', (code, signal) => {
      done(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
    });
  });
}

export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Where `npm start` / `npm test` remember which lock file (and Node version) node_modules was installed from. */
export const INSTALL_STAMP = path.join(ROOT, 'node_modules', '.swaggy-install-stamp');

export function lockDigest() {
  const lock = fs.readFileSync(path.join(ROOT, 'package-lock.json'));
  return crypto.createHash('sha256').update(lock).update(process.version).digest('hex');
}
