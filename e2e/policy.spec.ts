/**
 * The DQN policy in the desk, end to end in browser mode against the built app (`npx electron-vite build` first):
 * the policy panel shows the execution provider, the model and, for each simulated symbol, the action with its
 * Q-values; real daily bars imported through the import dialog retrain it in the background with progress; a
 * training is cancelled without touching the model in use, a short one replaces it, and the shipped model comes back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { ARTIFACTS, type BrowserMode, SHARED_DATA, sharedDataMissing, startBrowserMode } from './browser-mode';

/** Stooq's SPY daily bars, 2005-02-25 → 2025-01-29 (see PROVENANCE.md in the shared data folder). */
const SPY = path.join(SHARED_DATA, 'market', 'daily', 'spy.us.txt');
const HAVE_SPY = fs.existsSync(SPY);
const NO_SPY = sharedDataMissing(SPY, 'skipping retraining');
const SYMBOLS = ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY'];

let server: BrowserMode;
let page: Page;
const consoleErrors: string[] = [];

const agents = () => page.getByRole('region', { name: 'Agents' });

async function openAgentsTab(name: 'Slots' | 'Performance' | 'Policy'): Promise<Locator> {
  const tab = agents().getByRole('tab', { name });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  return agents().getByRole('tabpanel');
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  server = await startBrowserMode();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  await page.goto(server.url);
  await expect(page.getByTestId('source-badge')).toHaveText('SIMULATED MARKET (seed 42)');
});

test.afterAll(async () => {
  await page?.close();
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

test("the policy panel shows the provider, the model, and each symbol's action with its Q-values", async () => {
  // The slots tab says which provider runs the policy.
  await expect(agents().getByTestId('policy-line')).toContainText('provider cpu');

  const panel = await openAgentsTab('Policy');
  await expect(panel.getByTestId('policy-provider')).toHaveText('cpu');
  await expect(panel.getByTestId('policy-version')).toHaveText(/^dqn-[\w-]+$/);
  await expect(panel.getByTestId('policy-origin')).toHaveText('(shipped with the app)');
  await expect(panel.getByTestId('policy-metrics')).toContainText('Validation');

  for (const symbol of SYMBOLS) {
    const action = panel.getByTestId(`policy-action-${symbol}`);
    await expect(action).toHaveText(/^(Short|Flat|Long)$/);
    const chosen = ((await action.textContent()) ?? '').toLowerCase();
    const q: Record<string, number> = {};
    for (const a of ['short', 'flat', 'long']) {
      const bar = panel.getByTestId(`policy-q-${symbol}-${a}`);
      await expect(bar).toHaveText(new RegExp(`^${a}-?\\d+\\.\\d{3}$`));
      q[a] = Number(/(-?\d+\.\d+)$/.exec((await bar.textContent()) ?? '')?.[1]);
    }
    // The action shown is the one with the highest Q-value, and it is the one highlighted.
    const best = Object.entries(q).sort((x, y) => y[1] - x[1])[0]?.[0];
    expect(chosen, `${symbol}: Q-values ${JSON.stringify(q)}`).toBe(best);
    await expect(panel.getByTestId(`policy-q-${symbol}-${chosen}`)).toHaveClass(/chosen/);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'policy-actions.png') });
  expect(consoleErrors).toEqual([]);
});

test('retraining on imported bars shows progress, can be cancelled, and a short run replaces the model', async () => {
  test.skip(!HAVE_SPY, NO_SPY);
  const panel = await openAgentsTab('Policy');
  await expect(panel.getByTestId('retrain-no-data')).toBeVisible();
  const shippedVersion = (await panel.getByTestId('policy-version').textContent()) ?? '';

  // Real daily bars, through the import dialog.
  await page.getByRole('button', { name: 'Import data…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import market data' });
  await dialog.getByLabel('CSV file').setInputFiles(SPY);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog.getByTestId('import-summary')).toContainText('spy.us.txt');
  await expect(dialog.getByTestId('series-row-SPY-1d')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // The retrain form offers the imported series.
  const retrain = panel.getByRole('region', { name: 'Retrain the policy' });
  await expect(retrain.getByLabel('Training timeframe')).toHaveValue('1d');
  await expect(retrain.getByRole('checkbox', { name: /SPY/ })).toBeChecked();

  // A long training: the progress bar moves, then Cancel stops it and the model in use stays.
  await retrain.getByLabel('Training seed').fill('11');
  await retrain.getByLabel('Training episodes').fill('400');
  await retrain.getByRole('button', { name: 'Retrain' }).click();
  const progress = retrain.getByTestId('train-progress');
  await expect(progress).toHaveAttribute('data-state', 'running');
  await expect(progress.getByRole('progressbar')).toContainText('Training the policy on SPY');
  await expect
    .poll(async () => Number(await progress.getByRole('progressbar').getAttribute('aria-valuenow')))
    .toBeGreaterThan(0);
  await expect(retrain.getByLabel('Training episodes')).toBeDisabled();
  await progress.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, 'policy-training.png') });
  await retrain.getByRole('button', { name: 'Cancel training' }).click();
  await expect(progress).toHaveAttribute('data-state', 'cancelled');
  await expect(progress).toContainText('the model in use is unchanged');
  await expect(retrain.getByRole('button', { name: 'Cancel training' })).toHaveCount(0);
  await expect(panel.getByTestId('policy-version')).toHaveText(shippedVersion);

  // A short training finishes and replaces the model: the panel follows onPolicyChanged.
  await retrain.getByLabel('Training episodes').fill('3');
  await retrain.getByRole('button', { name: 'Retrain' }).click();
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(progress).toContainText(/model dqn-[\w-]+: validation return/);
  await expect(panel.getByTestId('policy-origin')).toHaveText('(retrained here)');
  await expect(panel.getByTestId('policy-version')).not.toHaveText(shippedVersion);
  await expect(panel).toContainText('imported 1d bars: SPY');
  await expect(panel.getByTestId('policy-metrics')).toContainText('Validation');
  await expect(panel.getByTestId('policy-action-SPY')).toHaveText(/^(Short|Flat|Long)$/);
  await expect(agents().getByTestId('policy-line')).toContainText('retrained here');
  await panel.getByTestId('policy-version').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, 'policy-retrained.png') });

  // Back to the shipped model.
  await panel.getByRole('button', { name: 'Use shipped model' }).click();
  await expect(panel.getByTestId('policy-origin')).toHaveText('(shipped with the app)');
  await expect(panel.getByTestId('policy-version')).toHaveText(shippedVersion);
  await expect(panel.getByRole('button', { name: 'Use shipped model' })).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test('a corrupt retrained model is reported, and the desk carries on with the shipped one', async ({ browser }) => {
  // A data folder whose retrained model was damaged (a disk error, a half-copied file).
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swaggy-e2e-corrupt-'));
  fs.mkdirSync(path.join(dataDir, 'models'));
  fs.writeFileSync(path.join(dataDir, 'models', 'dqn-policy.onnx'), 'not an ONNX model');
  const broken = await startBrowserMode({ dataDir });
  const other = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  other.on('pageerror', (e) => errors.push(e.message));
  try {
    await other.goto(broken.url);
    const region = other.getByRole('region', { name: 'Agents' });
    await region.getByRole('tab', { name: 'Policy' }).click();
    const panel = region.getByRole('tabpanel');
    await expect(panel.getByTestId('policy-warnings')).toContainText('is not a valid ONNX model');
    await expect(panel.getByTestId('policy-origin')).toHaveText('(shipped with the app)');
    await expect(panel.getByTestId('policy-action-AAPL')).toHaveText(/^(Short|Flat|Long)$/);
    // The rest of the desk works: a question is answered by all seven slots.
    const input = other.getByLabel('Ask or order');
    await input.fill('should I buy NVDA?');
    await input.press('Enter');
    await expect(other.getByTestId('command-answer').locator('[data-testid^="slot-chip-"]')).toHaveCount(7);
    await other.screenshot({ path: path.join(ARTIFACTS, 'policy-corrupt-model.png') });
    expect(errors).toEqual([]);
  } finally {
    await other.close();
    await broken.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
