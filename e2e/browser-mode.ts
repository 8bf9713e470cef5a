/**
 * Starts the real browser-mode host (the built out/main/browser.js) on a free port with a temporary data folder,
 * as a user's `npm start` would, and stops it after the test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { sharedDataDir } from '../src/main/core/paths';

export const ROOT = path.resolve(__dirname, '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
/** The real data the tests read ($SWAGGY_SHARED_DATA, else ../shared/data); tests skip when it is absent. */
export const SHARED_DATA = sharedDataDir(ROOT);
export { sharedDataMissing } from '../src/main/core/paths';

export interface BrowserMode {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

export async function startBrowserMode(
  options: { dataDir?: string; args?: string[]; env?: Readonly<Record<string, string>> } = {},
): Promise<BrowserMode> {
  const entry = path.join(ROOT, 'out', 'main', 'browser.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" before the end-to-end tests`);
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'swaggy-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [entry, '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(options.env ?? {}) } },
  );
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start in 20 s:\n${output}`)), 20_000);
    const check = () => {
      const match = /Open the desk: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser mode exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Calls the API from the page over a WebSocket of its own (the page's cookie authorises it), the transport the
 * desk's window.api twin uses; throws with the method's error message when the call fails.
 */
export async function callApi<T>(page: Page, method: string, input: unknown = {}): Promise<T> {
  const reply = await page.evaluate(
    async ({ method, input }) => {
      const socket = new WebSocket(`ws://${location.host}/api`);
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = reject;
      });
      const answer = new Promise<string>((resolve) => {
        socket.onmessage = (m) => {
          const msg = JSON.parse(String(m.data));
          if (msg.t === 'result' && msg.id === 1) resolve(JSON.stringify(msg.result));
        };
      });
      socket.send(JSON.stringify({ t: 'call', id: 1, method, input }));
      const text = await answer;
      socket.close();
      return text;
    },
    { method, input },
  );
  const result = JSON.parse(reply) as { ok: boolean; value?: T; error?: { message: string } };
  if (!result.ok) throw new Error(`${method} failed: ${result.error?.message}`);
  return result.value as T;
}
