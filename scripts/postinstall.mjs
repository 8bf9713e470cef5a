#!/usr/bin/env node
// Runs after `npm install` / `npm ci`. Says which mode this install supports, and where the Electron binary is
// present, builds better-sqlite3 a second time for Electron's ABI (into node_modules/.swaggy-electron), leaving
// Node's own build in place for the CLI, browser mode and the tests. It never fails the install.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { electronBinary, INSTALL_STAMP, lockDigest, ROOT } from './lib.mjs';

const OUT_DIR = path.join(ROOT, 'node_modules', '.swaggy-electron');
const BINDING = path.join(OUT_DIR, 'better_sqlite3.node');
const STAMP = path.join(OUT_DIR, 'electron-version');

function buildSqliteForElectron(version) {
  if (fs.existsSync(BINDING) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === version) {
    return { ok: true, how: 'already built' };
  }
  const source = path.join(ROOT, 'node_modules', 'better-sqlite3');
  const work = path.join(OUT_DIR, 'better-sqlite3');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.cpSync(source, work, { recursive: true, filter: (p) => !p.startsWith(path.join(source, 'build')) });
  // npm points node-gyp at Node's headers (npm_config_nodedir); Electron needs its own.
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)) delete env[key];
  const attempts = [
    {
      how: 'prebuilt binary (prebuild-install)',
      command: process.execPath,
      args: [
        path.join(ROOT, 'node_modules', 'prebuild-install', 'bin.js'),
        '--runtime=electron',
        `--target=${version}`,
        `--arch=${process.arch}`,
      ],
    },
    {
      how: 'compiled against Electron headers (node-gyp)',
      command: process.execPath,
      args: [
        process.env.npm_config_node_gyp ??
          path.join(
            path.dirname(process.execPath),
            '..',
            'lib',
            'node_modules',
            'npm',
            'node_modules',
            'node-gyp',
            'bin',
            'node-gyp.js',
          ),
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${version}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ],
    },
  ];
  for (const attempt of attempts) {
    const result = spawnSync(attempt.command, attempt.args, { cwd: work, env, stdio: 'inherit', timeout: 15 * 60_000 });
    const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
    if (result.status === 0 && fs.existsSync(built)) {
      fs.copyFileSync(built, BINDING);
      fs.writeFileSync(STAMP, version);
      fs.rmSync(work, { recursive: true, force: true });
      return { ok: true, how: attempt.how };
    }
  }
  fs.rmSync(work, { recursive: true, force: true });
  return { ok: false, how: "neither a prebuilt binary nor Electron's headers could be downloaded" };
}

function main() {
  const electron = electronBinary();
  const lines = [];
  if (electron.installed) {
    const sqlite = buildSqliteForElectron(electron.version);
    if (sqlite.ok) {
      lines.push(`Desktop mode ready: Electron ${electron.version}, SQLite for Electron ${sqlite.how}.`);
      lines.push(
        '`npm start` opens the desktop window; `npm start -- --browser` serves the desk to a browser instead.',
      );
    } else {
      lines.push(`Electron ${electron.version} is installed, but SQLite could not be built for it: ${sqlite.how}.`);
      lines.push('The desktop window will report this at start-up; `npm start -- --browser` works fully.');
    }
  } else {
    lines.push(`Browser mode: ${electron.why}.`);
    lines.push('`npm start` serves the desk on 127.0.0.1 and prints its URL. On a machine that reaches GitHub,');
    lines.push('`npm install` (without ELECTRON_SKIP_BINARY_DOWNLOAD) gets the desktop window too.');
  }
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  console.log(
    `\n${'='.repeat(width)}\n  Swaggy Stacks install\n${lines.map((l) => `  ${l}`).join('\n')}\n${'='.repeat(width)}\n`,
  );
}

try {
  main();
  if (fs.existsSync(path.join(ROOT, 'package-lock.json'))) fs.writeFileSync(INSTALL_STAMP, lockDigest());
} catch (e) {
  console.warn(`Swaggy Stacks postinstall: ${e instanceof Error ? e.message : e} (ignored; the install is usable)`);
}
