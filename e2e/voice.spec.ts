/**
 * The real voice loop in the desk: a private PulseAudio null sink is the microphone; the test holds Space in the
 * desk (browser mode), speaks "buy ten shares of apple" into the sink with a speech synthesiser, and the engine's
 * recorder, PocketSphinx, the read-back, the spoken "confirm", the paper broker and the blotter all run for real.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { which } from '../src/main/core/doctor/which';
import { synthesisAvailability, synthesize } from '../src/main/core/voice/testing/synthesize';
import { startVirtualMic, type VirtualMic, virtualMicAvailability } from '../src/main/core/voice/testing/virtual-mic';
import { ARTIFACTS, type BrowserMode, callApi, startBrowserMode } from './browser-mode';

const missing = [
  ...virtualMicAvailability().missing,
  ...synthesisAvailability().missing,
  ...(which('sox') || which('arecord') ? [] : ['sox or arecord']),
  ...(which('pocketsphinx_batch') ? [] : ['pocketsphinx_batch']),
];

const festival = { engine: 'festival', voice: 'kal_diphone', stretch: 1.0 } as const;

let mic: VirtualMic | undefined;
let server: BrowserMode | undefined;

test.describe.configure({ mode: 'serial' });
test.skip(missing.length > 0, `voice tools missing on this machine: ${missing.join(', ')}`);

test.beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  mic = await startVirtualMic();
  server = await startBrowserMode({ env: mic.env });
});

test.afterAll(async () => {
  await server?.stop();
  await mic?.close();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

const call = callApi;

/** Holds Space in the desk, speaks once the bar says it is listening, and releases. */
async function say(page: Page, text: string): Promise<void> {
  const pcm = await synthesize(text, festival);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.down('Space');
  await expect(page.getByTestId('voice-state')).toHaveText('Listening…', { timeout: 10_000 });
  await mic?.play(pcm);
  await page.keyboard.up('Space');
}

test('a spoken order is read back, placed only after a spoken "confirm", and fills', async ({ page }) => {
  if (!server || !mic) throw new Error('setup failed');
  await page.goto(server.url);
  // The trader picks the microphone in the voice bar; the virtual one is listed like any PulseAudio source.
  const picker = page.getByLabel('Input device');
  await expect(picker.locator(`option[value="${mic.source}"]`)).toHaveCount(1);
  await picker.selectOption(mic.source);
  await expect
    .poll(async () => (await call<{ recorder: { device: string | null } }>(page, 'voice.status')).recorder.device)
    .toBe(mic.source);
  await expect
    .poll(async () => (await call<{ recognizer: { available: boolean } }>(page, 'voice.status')).recognizer.available, {
      timeout: 30_000,
    })
    .toBe(true);
  await expect(page.getByRole('region', { name: 'Voice bar' })).toBeVisible();

  // The market moves, so a market order can fill on the next bar.
  await call(page, 'replay.setSpeed', { speed: 60 });
  await call(page, 'replay.play');

  await say(page, 'buy ten shares of apple');
  const readback = page.getByTestId('voice-readback');
  await expect(readback).toContainText(/Buy 10 Apple at market, about \$?[\d,]+/, { timeout: 15_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'voice-readback.png') });
  // Nothing is placed before the confirmation.
  expect(await call<unknown[]>(page, 'orders.list')).toHaveLength(0);

  await say(page, 'confirm');
  await expect(readback).toBeHidden({ timeout: 15_000 });
  await expect
    .poll(async () => (await call<{ symbol: string; qty: number; side: string }[]>(page, 'fills.list')).length, {
      timeout: 20_000,
    })
    .toBeGreaterThan(0);
  const fills = await call<{ symbol: string; qty: number; side: string }[]>(page, 'fills.list');
  expect(fills[0]).toMatchObject({ symbol: 'AAPL', side: 'buy', qty: 10 });
  const orders = await call<{ clientTag: string | null }[]>(page, 'orders.list');
  expect(orders).toHaveLength(1);
  expect(orders[0]?.clientTag).toBe('voice');

  await page.getByRole('tab', { name: /Fills/ }).click();
  await expect(page.getByRole('region', { name: 'Blotter' })).toContainText('AAPL');
  await page.screenshot({ path: path.join(ARTIFACTS, 'voice-filled.png') });
});

test('speech that is not a command places nothing and says so', async ({ page }) => {
  if (!server || !mic) throw new Error('setup failed');
  await page.goto(server.url);
  const before = (await call<unknown[]>(page, 'orders.list')).length;
  await say(page, 'open the settings window and show me the weather');
  await expect(page.getByTestId('voice-transcript')).toContainText(/didn't catch that/i, { timeout: 15_000 });
  await expect(page.getByTestId('voice-readback')).toBeHidden();
  expect(await call<unknown[]>(page, 'orders.list')).toHaveLength(before);
});
