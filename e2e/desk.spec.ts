import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, type BrowserMode, startBrowserMode } from './browser-mode';

let server: BrowserMode;

test.beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  server = await startBrowserMode();
});

test.afterAll(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

test('the desk frame loads in browser mode and the API answers over the WebSocket', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(server.url);
  // The token moved from the address bar into a cookie.
  expect(page.url()).toBe(`${server.origin}/`);

  for (const region of ['Watchlist', 'Chart', 'Order ticket', 'Blotter', 'Agents', 'Decision feed']) {
    await expect(page.getByRole('region', { name: region })).toBeVisible();
  }
  await expect(page.getByRole('region', { name: 'Voice bar' })).toBeVisible();
  await expect(page.getByTestId('status-mode')).toHaveText('Mode: Browser mode');
  await expect(page.getByTestId('status-connection')).toContainText('Connected (WebSocket)');
  await expect(page.getByTestId('status-version')).toHaveText(/^v\d+\.\d+\.\d+/);

  // A round trip from inside the page over the same WebSocket endpoint and message protocol its API twin uses,
  // authenticated by the page's cookie alone. The twin itself is not reachable from here: in browser mode the
  // renderer keeps it in a module (no window.api global), so this speaks the protocol directly.
  const info = await page.evaluate(async () => {
    const socket = new WebSocket(`ws://${location.host}/api`);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = reject;
    });
    const reply = new Promise<string>((resolve) => {
      socket.onmessage = (m) => resolve(String(m.data));
    });
    socket.send(JSON.stringify({ t: 'call', id: 1, method: 'app.info', input: {} }));
    return JSON.parse(await reply);
  });
  expect(info.result.ok).toBe(true);
  expect(info.result.value.mode).toBe('browser');
  expect(info.result.value.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(info.result.value.dataDir).toBe(server.dataDir);

  await page.screenshot({ path: path.join(ARTIFACTS, 'desk-frame.png'), fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('a wrong or missing token is refused with 401 and nothing else', async ({ request, browser }) => {
  const none = await request.get(`${server.origin}/`);
  expect(none.status()).toBe(401);
  expect(await none.text()).toBe('Unauthorized');
  const wrong = await request.get(`${server.origin}/?token=not-the-token`);
  expect(wrong.status()).toBe(401);
  const asset = await request.get(`${server.origin}/index.html`);
  expect(asset.status()).toBe(401);

  // A fresh browser profile with a wrong token gets no page and no socket.
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(`${server.origin}/?token=wrong`);
  expect(response?.status()).toBe(401);
  const socketOpened = await page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(`ws://${location.host}/api?token=wrong`);
        socket.onopen = () => resolve(true);
        socket.onerror = () => resolve(false);
      }),
  );
  expect(socketOpened).toBe(false);
  await context.close();
});
