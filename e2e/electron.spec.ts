import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinaryStatus } from '../src/main/core/doctor/electron-binary';
import { ARTIFACTS, ROOT } from './browser-mode';

const binary = electronBinaryStatus(ROOT);
const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

test('the Electron window opens the desk over IPC', async () => {
  test.skip(
    !binary.installed,
    `Electron binary not installed here (${binary.detail}); run "npm install" on a machine that can reach GitHub to get it`,
  );
  test.skip(!display, 'no display: set DISPLAY (for example under xvfb-run) to open the Electron window');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swaggy-electron-'));
  const app = await electron.launch({
    executablePath: binary.path ?? undefined,
    args: [path.join(ROOT, 'out', 'main', 'index.js'), '--data-dir', dataDir],
    cwd: ROOT,
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('region', { name: 'Watchlist' })).toBeVisible();
    await expect(window.getByTestId('status-mode')).toHaveText('Mode: Desktop');
    await expect(window.getByTestId('status-connection')).toContainText('Connected (IPC)');
    const exposed = await window.evaluate(() => ({
      api: typeof (window as unknown as { api?: unknown }).api,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      // The preload exposes window.api and nothing else (an unused second global was removed).
      swaggyHost: 'swaggyHost' in window,
    }));
    expect(exposed).toEqual({ api: 'object', require: 'undefined', process: 'undefined', swaggyHost: false });
    await window.screenshot({ path: path.join(ARTIFACTS, 'electron-desk.png') });
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
