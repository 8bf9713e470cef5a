#!/usr/bin/env node
// The README's two commands: `npm start` and `npm test`. Each installs the dependencies when they are missing or
// out of date, then starts the app (the Electron window, or browser mode where Electron cannot run) or runs the
// whole test suite.
import fs from 'node:fs';
import path from 'node:path';
import { electronBinary, INSTALL_STAMP, lockDigest, npm, ROOT, reachable, run } from './lib.mjs';

async function ensureDependencies() {
  const digest = lockDigest();
  // postinstall writes the stamp, so an install made by hand (or by .ci/run) counts too.
  if (fs.existsSync(INSTALL_STAMP) && fs.readFileSync(INSTALL_STAMP, 'utf8') === digest) return;
  const env = { ...process.env };
  const notes = [];
  if (
    env.ELECTRON_SKIP_BINARY_DOWNLOAD === undefined &&
    !(await reachable('https://github.com/electron/electron/releases'))
  ) {
    env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
    notes.push("GitHub is unreachable: Electron's binary download is skipped, and the app will run in browser mode.");
  }
  if (env.ONNXRUNTIME_NODE_INSTALL === undefined && !(await reachable('https://api.nuget.org/v3/index.json'))) {
    env.ONNXRUNTIME_NODE_INSTALL = 'skip';
    notes.push(
      "NuGet is unreachable: onnxruntime-node's optional CUDA download is skipped (CPU inference still works).",
    );
  }
  console.log('Installing dependencies (npm ci)...');
  for (const note of notes) console.log(`  ${note}`);
  const code = await run(npm, ['ci'], { env });
  if (code !== 0) {
    console.error('npm ci failed; see the messages above. Nothing was started.');
    process.exit(code);
  }
  fs.writeFileSync(INSTALL_STAMP, digest);
}

function newestMtime(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

async function ensureBuild() {
  const stamp = path.join(ROOT, 'out', '.build-stamp');
  const inputs = ['src', 'resources', 'electron.vite.config.ts', 'package-lock.json'].map((p) => path.join(ROOT, p));
  const newestInput = Math.max(...inputs.filter((p) => fs.existsSync(p)).map(newestMtime));
  if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newestInput) return;
  console.log('Building the app (electron-vite build)...');
  const code = await run(npm, ['run', '--silent', 'build']);
  if (code !== 0) process.exit(code);
  fs.writeFileSync(stamp, new Date().toISOString());
}

async function start(args) {
  await ensureDependencies();
  await ensureBuild();
  const electron = electronBinary();
  const wantsBrowser = args.includes('--browser');
  const passThrough = args.filter((a) => a !== '--browser');
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (electron.installed && hasDisplay && !wantsBrowser) {
    console.log(`Starting the Swaggy Stacks desktop window (Electron ${electron.version})...`);
    process.exit(await run(electron.path, [path.join(ROOT, 'out', 'main', 'index.js'), ...passThrough]));
  }
  const reason = wantsBrowser
    ? 'you asked for browser mode (--browser)'
    : !electron.installed
      ? electron.why
      : 'there is no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)';
  process.exit(
    await run(process.execPath, [path.join(ROOT, 'out', 'main', 'browser.js'), '--reason', reason, ...passThrough]),
  );
}

async function test() {
  await ensureDependencies();
  process.exit(await run(npm, ['run', 'check']));
}

const [command, ...args] = process.argv.slice(2);
if (command === 'start') await start(args);
else if (command === 'test') await test();
else {
  console.error('usage: node scripts/swaggy.mjs start [--browser] [--port N] [--data-dir DIR] | test');
  process.exit(2);
}
