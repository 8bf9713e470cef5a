/**
 * `run` in scripts/lib.mjs with real processes: a parent that runs a child through it is killed the way a user or a
 * service manager kills `npm start` (a signal to the parent's pid only), and the child must not be left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const LIB = pathToFileURL(path.join(__dirname, 'lib.mjs')).href;
const dirs: string[] = [];
const pids: number[] = [];

afterEach(() => {
  // A failing test must not leave its child running either.
  for (const pid of pids.splice(0)) {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts `node -e <parent>` whose parent runs `node -e <child>` through lib.mjs's `run` and exits with its code.
 * The child writes its pid once its signal handlers are set, so the test signals only a child that is ready.
 */
function startParent(handleSigterm: boolean): { parent: ChildProcess; dir: string; exit: Promise<number | null> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swaggy-run-'));
  dirs.push(dir);
  const child = [
    "const fs = require('node:fs');",
    handleSigterm
      ? `process.on('SIGTERM', () => { fs.writeFileSync(${JSON.stringify(path.join(dir, 'signal'))}, 'SIGTERM'); process.exit(0); });`
      : '',
    `fs.writeFileSync(${JSON.stringify(path.join(dir, 'pid'))}, String(process.pid));`,
    'setInterval(() => {}, 1000);',
  ].join('\n');
  const parentCode = `import { run } from ${JSON.stringify(LIB)};\nprocess.exit(await run(process.execPath, ['-e', ${JSON.stringify(child)}]));`;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', parentCode], { stdio: 'ignore' });
  const exit = new Promise<number | null>((resolve) => parent.once('exit', (code) => resolve(code)));
  return { parent, dir, exit };
}

async function childPid(dir: string): Promise<number> {
  const file = path.join(dir, 'pid');
  await until(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8') !== '', 'the child to start');
  const pid = Number(fs.readFileSync(file, 'utf8'));
  pids.push(pid);
  return pid;
}

describe('run (scripts/lib.mjs)', () => {
  it('passes SIGTERM sent to the parent on to the child, and exits with the child', async () => {
    const { parent, dir, exit } = startParent(true);
    const pid = await childPid(dir);
    parent.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'signal'), 'utf8')).toBe('SIGTERM');
    await until(() => !alive(pid), 'the child to exit');
  });

  it('passes SIGINT on too, and reports a child ended by the signal as 128 + its number', async () => {
    const { parent, dir, exit } = startParent(false);
    const pid = await childPid(dir);
    parent.kill('SIGINT');
    expect(await exit).toBe(128 + os.constants.signals.SIGINT);
    await until(() => !alive(pid), 'the child to exit');
  });
});
