/**
 * The trading desk end to end, in browser mode against the built app (`npx electron-vite build` first): the
 * simulated market plays, a real CSV is imported and replayed, a limit order works and then fills when the price
 * crosses it, another one is cancelled, and an impossible order is refused inline without changing anything.
 *
 * The steps share one desk (one engine, one page), in order, like a trader's session.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { ARTIFACTS, type BrowserMode, SHARED_DATA, sharedDataMissing, startBrowserMode } from './browser-mode';

/** A Nasdaq.com export: `$` prices, MM/DD/YYYY dates, newest first; 2015-03-19 → 2025-03-18. */
const CSV = path.join(SHARED_DATA, 'market', 'daily', 'HistoricalData_MSFT.csv');
const HAVE_CSV = fs.existsSync(CSV);
const NO_CSV = sharedDataMissing(CSV, 'skipping the import and fill steps');

interface DailyBar {
  date: string;
  o: number;
  h: number;
  l: number;
  c: number;
}

/** Reads the Nasdaq layout (Date,Close/Last,Volume,Open,High,Low), oldest first: the test's own view of the data. */
function readNasdaqCsv(file: string): DailyBar[] {
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1);
  const price = (s: string) => Number(s.replace('$', ''));
  return lines
    .map((line) => {
      const [date = '', close = '', , open = '', high = '', low = ''] = line.split(',');
      const [mm, dd, yyyy] = date.split('/');
      return { date: `${yyyy}-${mm}-${dd}`, o: price(open), h: price(high), l: price(low), c: price(close) };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** "1,234.5600" → 1234.56; "-$550.00" → -550. */
function parseNumber(text: string | null): number {
  return Number((text ?? '').replace(/[$,+\s]/g, ''));
}

let server: BrowserMode;
let page: Page;
const consoleErrors: string[] = [];

const region = (name: string) => page.getByRole('region', { name });
const ticket = () => region('Order ticket');
const blotter = () => region('Blotter');
const tab = (name: RegExp) => blotter().getByRole('tab', { name });

async function openTab(name: RegExp): Promise<Locator> {
  await tab(name).click();
  await expect(tab(name)).toHaveAttribute('aria-selected', 'true');
  return blotter().getByRole('tabpanel');
}

/** Count in a tab label such as "Orders (3)". */
async function tabCount(name: RegExp): Promise<number> {
  const text = (await tab(name).textContent()) ?? '';
  return Number(/\((\d+)\)/.exec(text)?.[1] ?? Number.NaN);
}

async function pauseIfPlaying(): Promise<void> {
  const pause = page.getByRole('button', { name: /Pause/ });
  if (await pause.isVisible()) await pause.click();
  await expect(page.getByRole('button', { name: /Play/ })).toBeVisible();
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
});

test.afterAll(async () => {
  await page?.close();
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

test('with no data the desk runs a simulated market, clearly marked, that plays live', async () => {
  await expect(page.getByTestId('source-badge')).toHaveText('SIMULATED MARKET (seed 42)');
  const watchlist = region('Watchlist');
  for (const symbol of ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY']) {
    await expect(watchlist.getByTestId(`watch-last-${symbol}`)).toHaveText(/^\d[\d,]*\.\d{2,4}$/);
  }
  await expect(watchlist.getByTestId('watch-pct-AAPL')).toHaveText(/^[+-]?\d+\.\d{2}%$/);
  const chart = page.getByTestId('chart');
  await expect(chart).toHaveAttribute('data-symbol', 'AAPL');
  await expect.poll(async () => Number(await chart.getAttribute('data-bars'))).toBeGreaterThan(100);
  await expect(page.getByTestId('chart-legend')).toContainText('AAPL · 1m');

  const lastPrices = async () => (await watchlist.locator('[data-testid^="watch-last-"]').allTextContents()).join(' ');
  const pricesBefore = await lastPrices();
  const clockBefore = await page.getByTestId('market-time').textContent();
  const barsBefore = Number(await chart.getAttribute('data-bars'));
  const legendBefore = await page.getByTestId('chart-legend').textContent();

  await page.getByLabel('Replay speed').selectOption('600');
  await page.getByRole('button', { name: /Play/ }).click();
  await expect(page.getByRole('button', { name: /Pause/ })).toBeVisible();

  await expect.poll(lastPrices, { timeout: 20_000 }).not.toBe(pricesBefore);
  await expect.poll(() => page.getByTestId('market-time').textContent()).not.toBe(clockBefore);
  // At 600× a 1m candle completes every 0.1 s: new bars are appended, and the legend follows the newest one.
  await expect
    .poll(async () => Number(await chart.getAttribute('data-bars')), { timeout: 20_000 })
    .toBeGreaterThan(barsBefore + 3);
  await expect.poll(() => page.getByTestId('chart-legend').textContent()).not.toBe(legendBefore);
  await expect(page.getByTestId('market-time')).toHaveText(/^\w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} ET$/);

  // Switching symbol and timeframe reloads the chart.
  await watchlist.getByRole('button', { name: 'Chart MSFT' }).click();
  await expect(chart).toHaveAttribute('data-symbol', 'MSFT');
  await region('Chart').getByRole('button', { name: '5m', exact: true }).click();
  await expect(page.getByTestId('chart-legend')).toContainText('MSFT · 5m');
  await region('Chart').getByRole('button', { name: '1m', exact: true }).click();
  await expect(page.getByTestId('chart-legend')).toContainText('MSFT · 1m');
  await expect(ticket().getByLabel('Symbol')).toHaveValue('MSFT');

  // Adding a ticker to the watchlist reloads the simulated market with it; removing it takes it away again.
  await watchlist.getByLabel('Add ticker').fill('amd');
  await watchlist.getByRole('button', { name: 'Add' }).click();
  await expect(watchlist.getByTestId('watch-last-AMD')).toHaveText(/^\d[\d,]*\.\d{2,4}$/);
  await watchlist.getByRole('button', { name: 'Remove AMD from the watchlist' }).click();
  await expect(watchlist.getByTestId('watch-row-AMD')).toHaveCount(0);

  // Keyboard: B and S pick the side when no text field has focus.
  await page.getByTestId('market-time').click();
  await page.keyboard.press('s');
  await expect(ticket().getByRole('button', { name: 'Sell', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('b');
  await expect(ticket().getByRole('button', { name: 'Buy', exact: true })).toHaveAttribute('aria-pressed', 'true');

  await page.screenshot({ path: path.join(ARTIFACTS, 'trading-simulated.png') });
  await pauseIfPlaying();

  // Seeking back to the open warns first (the account restarts), then the clock and the chart go back.
  const clock = page.getByTestId('market-time');
  await expect(clock).not.toHaveText('Thu 2025-01-02 09:30:00 ET');
  await page.getByLabel('Seek to date').fill('2025-01-02');
  await page.getByLabel('Seek to time').fill('09:30');
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'Going back in time restarts the paper account' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Go back and restart' }).click();
  await expect(clock).toHaveText('Thu 2025-01-02 09:30:00 ET');
  await expect(page.getByTestId('chart-legend')).toContainText('2025-01-02 09:30');

  // One step plays exactly one 1m bar: the 09:30 candle, which had only its opening trade, completes.
  const openingOnly = await page.getByTestId('chart-legend').textContent();
  await page.getByRole('button', { name: 'Step one bar' }).click();
  await expect(clock).toHaveText(/^Thu 2025-01-02 09:3[01]:\d\d ET$/);
  await expect(clock).not.toHaveText('Thu 2025-01-02 09:30:00 ET');
  await expect(page.getByTestId('chart-legend')).toContainText('2025-01-02 09:30');
  await expect(page.getByTestId('chart-legend')).not.toHaveText(openingOnly ?? '');
  expect(consoleErrors).toEqual([]);
});

test('a real CSV is imported through the dialog, with progress and a summary, and replayed', async () => {
  test.skip(!HAVE_CSV, NO_CSV);
  await page.getByRole('button', { name: 'Import data…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import market data' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('CSV file').setInputFiles(CSV);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();

  const progress = dialog.getByRole('progressbar');
  await expect(progress).toContainText('2,515 rows imported');
  await expect(progress).toHaveAttribute('aria-valuenow', '100');
  const summary = dialog.getByTestId('import-summary');
  await expect(summary).toContainText('HistoricalData_MSFT.csv: 2,515 of 2,515 rows imported');
  await expect(summary.getByTestId('imported-MSFT-1d')).toHaveText('MSFT 1d: 2,515 rows, 2015-03-19 → 2025-03-18');
  await expect(summary).toContainText('No lines rejected.');
  await expect(summary).toContainText('MM/DD/YYYY');
  await expect(dialog.getByTestId('series-row-MSFT-1d')).toContainText('2,515');
  // The simulated market runs in 2025: this data is older, so replaying it restarts the account, and says so.
  await expect(summary).toContainText('restarts the paper account');
  await page.screenshot({ path: path.join(ARTIFACTS, 'trading-import.png') });

  await summary.getByRole('button', { name: 'Replay this series' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('source-badge')).toHaveText('REPLAY: imported data');
  await expect(page.getByTestId('notice').filter({ hasText: 'paper account started again' })).toBeVisible();
  await expect(page.getByTestId('market-time')).toHaveText('Thu 2015-03-19 09:30:00 ET');
  const watchlist = region('Watchlist');
  await expect(watchlist.getByTestId('watch-last-MSFT')).toHaveText('42.26');
  await expect(region('Chart').getByRole('button', { name: '1d', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(region('Chart').getByRole('button', { name: '1m', exact: true })).toBeDisabled();
  await expect(page.getByTestId('chart')).toHaveAttribute('data-symbol', 'MSFT');
  await expect(page.getByTestId('chart-legend')).toContainText('MSFT · 1d · 2015-03-19');

  // Playing moves the imported replay forward: a new trading day on the chart and a new price.
  await page.getByLabel('Replay speed').selectOption('10000');
  await page.getByRole('button', { name: /Play/ }).click();
  await expect(page.getByTestId('chart-legend')).toContainText('2015-03-20', { timeout: 20_000 });
  await pauseIfPlaying();
  expect(consoleErrors).toEqual([]);
});

test('a limit buy below the market works, fills when the price crosses, shows on the chart; another is cancelled', async () => {
  test.skip(!HAVE_CSV, NO_CSV);
  const bars = readNasdaqCsv(CSV);
  const t = ticket();
  const lastText = await region('Watchlist').getByTestId('watch-last-MSFT').textContent();
  const last = parseNumber(lastText);
  const today = (await page.getByTestId('market-time').textContent())?.slice(4, 14) ?? '';
  const at = bars.findIndex((b) => b.date === today);
  expect(at, `the replay's day ${today} is in the file`).toBeGreaterThanOrEqual(0);

  // A limit half a percent below the last trade; the data says on which later day the low reaches it.
  const limit = Math.floor(last * 0.995 * 100) / 100;
  const crossing = bars.findIndex((b, i) => i > at && b.l <= limit);
  expect(crossing - at, 'the price crosses the limit within a few days of data').toBeLessThanOrEqual(8);
  const crossBar = bars[crossing] as DailyBar;
  // A buy limit fills at the better of the open and the limit.
  const expectedPrice = Math.min(crossBar.o, limit);

  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Quantity').fill('1000');
  await t.getByLabel('Order type').selectOption('limit');
  // Daily bars: a day order would expire before its first bar, so the ticket offers GTC.
  await expect(t.getByLabel('Time in force')).toHaveValue('gtc');
  await t.getByLabel('Limit price').fill(limit.toFixed(2));
  await expect(t.getByTestId('ticket-estimate')).toContainText(
    `$${(limit * 1000).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
  );
  // Enter submits while the ticket has focus.
  await t.getByLabel('Limit price').press('Enter');
  await expect(t.getByTestId('ticket-ok')).toContainText(`open: buy 1,000 MSFT limit ${limit.toFixed(2)}`);
  const orderId = Number(/#(\d+)/.exec((await t.getByTestId('ticket-ok').textContent()) ?? '')?.[1]);

  const working = await openTab(/Working orders/);
  const row = working.getByTestId(`working-row-${orderId}`);
  await expect(row).toContainText('BUY');
  await expect(row).toContainText('0 / 1,000');
  await expect(row).toContainText(limit.toFixed(2));
  await expect(row).toContainText('open');

  await page.getByRole('button', { name: /Play/ }).click();
  await expect(tab(/Fills/)).toHaveText('Fills (1)', { timeout: 45_000 });
  await pauseIfPlaying();

  const fills = await openTab(/Fills/);
  const fillRow = fills.locator('[data-testid^="fill-row-"]');
  await expect(fillRow).toHaveCount(1);
  await expect(fillRow).toContainText(crossBar.date);
  await expect(fillRow).toContainText(`#${orderId}`);
  await expect(fillRow).toContainText('BUY');
  await expect(fillRow).toContainText(expectedPrice.toFixed(2));
  await expect(working.getByTestId(`working-row-${orderId}`)).toHaveCount(0);
  const orders = await openTab(/Orders \(/);
  await expect(orders.getByTestId(`order-status-${orderId}`)).toHaveText('filled');

  // The fill is a marker on the chart: drawn on the canvas, and listed for assistive technology.
  await expect.poll(async () => Number(await page.getByTestId('chart').getAttribute('data-markers'))).toBe(1);
  await expect(page.getByTestId('chart-markers')).toContainText(`Buy 1,000 @ ${expectedPrice.toFixed(2)}`);

  const positions = await openTab(/Positions/);
  const pos = positions.getByTestId('position-row-MSFT');
  await expect(pos.getByTestId('position-qty-MSFT')).toHaveText('1,000');
  await expect(pos).toContainText(expectedPrice.toFixed(2));
  // Unrealised P&L is (last - average) × quantity, coloured by its sign.
  const cells = await pos.locator('td').allTextContents();
  const [avg, mark, upnl] = [parseNumber(cells[2] ?? ''), parseNumber(cells[3] ?? ''), parseNumber(cells[5] ?? '')];
  expect(upnl).toBeCloseTo((mark - avg) * 1000, 1);
  await expect(pos.getByTestId('position-upnl-MSFT')).toHaveClass(upnl > 0 ? /up/ : upnl < 0 ? /down/ : /flat/);

  const account = await openTab(/Account/);
  const cash = parseNumber(await account.getByTestId('account-cash').textContent());
  const commission = 1000 * 0.005; // $0.005 a share, above the $1 minimum
  expect(cash).toBeCloseTo(100_000 - expectedPrice * 1000 - commission, 2);
  await expect(account.getByTestId('account-unrealized')).toHaveText(
    `${upnl > 0 ? '+' : upnl < 0 ? '-' : ''}$${Math.abs(upnl).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
  );
  await page.screenshot({ path: path.join(ARTIFACTS, 'trading-filled.png') });

  // A second limit order far below the market works until it is cancelled.
  await t.getByLabel('Limit price').fill('20.00');
  await t.getByLabel('Quantity').fill('100');
  await t.getByTestId('ticket-submit').click();
  await expect(t.getByTestId('ticket-ok')).toContainText('open: buy 100 MSFT limit 20.00');
  const secondId = Number(/#(\d+)/.exec((await t.getByTestId('ticket-ok').textContent()) ?? '')?.[1]);
  expect(secondId).toBeGreaterThan(orderId);
  const working2 = await openTab(/Working orders/);
  await expect(working2.getByTestId(`working-row-${secondId}`)).toContainText('20.00');
  await working2.getByRole('button', { name: `Cancel order ${secondId}` }).click();
  await expect(working2.getByTestId(`working-row-${secondId}`)).toHaveCount(0);
  await expect(tab(/Working orders/)).toHaveText('Working orders (0)');
  const history = await openTab(/Orders \(/);
  await expect(history.getByTestId(`order-status-${secondId}`)).toContainText('cancelled');
  await expect(history.getByTestId(`order-status-${orderId}`)).toHaveText('filled');
  expect(consoleErrors).toEqual([]);
});

test('an impossible order is refused inline with the reason and changes nothing', async () => {
  await pauseIfPlaying();
  const t = ticket();
  const ordersBefore = await tabCount(/Orders \(/);
  const account = await openTab(/Account/);
  const cashBefore = await account.getByTestId('account-cash').textContent();
  const buyingPowerBefore = await account.getByTestId('account-buying-power').textContent();

  await t.getByLabel('Order type').selectOption('market');
  await t.getByLabel('Quantity').fill('0');
  await t.getByTestId('ticket-submit').click();
  await expect(t.getByTestId('ticket-error')).toHaveText('Rejected: Quantity must be above zero (got 0)');

  await t.getByLabel('Quantity').fill('100000000');
  await t.getByTestId('ticket-submit').click();
  await expect(t.getByTestId('ticket-error')).toContainText('Rejected: Not enough buying power');
  await expect(t.getByTestId('ticket-ok')).toHaveCount(0);
  // The ticket keeps what was typed, and nothing else moved.
  await expect(t.getByLabel('Quantity')).toHaveValue('100000000');
  await expect(tab(/Orders \(/)).toHaveText(`Orders (${ordersBefore})`);
  await expect(account.getByTestId('account-cash')).toHaveText(cashBefore ?? '');
  await expect(account.getByTestId('account-buying-power')).toHaveText(buyingPowerBefore ?? '');
  await page.screenshot({ path: path.join(ARTIFACTS, 'trading-rejected.png') });

  // Esc clears the ticket and the message.
  await t.getByLabel('Quantity').press('Escape');
  await expect(t.getByLabel('Quantity')).toHaveValue('100');
  await expect(t.getByTestId('ticket-error')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test("the broker's rules are shown and changed in the Account tab, with problems inline, and apply to the next order", async () => {
  test.skip(!HAVE_CSV, NO_CSV);
  await pauseIfPlaying();
  const account = await openTab(/Account/);
  const rules = account.getByRole('form', { name: 'Broker rules' });
  const field = (label: string) => rules.getByLabel(label);
  // The paper broker's defaults: 2 bp spread, 1 bp slippage, $0.005 a share with a $1 minimum, 10% of a bar's volume.
  await expect(field('Spread (bp)')).toHaveValue('2');
  await expect(field('Slippage (bp)')).toHaveValue('1');
  await expect(field('Commission per share ($)')).toHaveValue('0.005');
  await expect(field('Minimum commission ($)')).toHaveValue('1.00');
  await expect(field('Max share of bar volume (%)')).toHaveValue('10');
  await expect(account.getByTestId('account-shorting')).toHaveText('Off (cash account)');

  // A wrong value is refused beside its field, and nothing is saved.
  await field('Spread (bp)').fill('lots');
  await field('Max share of bar volume (%)').fill('0');
  await rules.getByRole('button', { name: 'Save rules' }).click();
  await expect(rules.getByTestId('rule-error-broker.spreadBps')).toHaveText('Spread: type a number');
  await expect(rules.getByTestId('rule-error-broker.maxVolumeParticipation')).toHaveText(
    'Max share of bar volume: must be above 0',
  );
  await expect(rules.getByTestId('rules-status')).toHaveCount(0);

  // A 20 bp spread and shorting, saved without a restart.
  await field('Spread (bp)').fill('20');
  await field('Max share of bar volume (%)').fill('10');
  await rules.getByLabel('Allow short selling').check();
  await rules.getByRole('button', { name: 'Save rules' }).click();
  await expect(rules.getByTestId('rules-status')).toContainText('from the next order');
  await expect(rules.getByTestId('rule-error-broker.spreadBps')).toHaveCount(0);
  await expect(account.getByTestId('account-shorting')).toHaveText('On (margin account)');

  // The next order uses them: selling more MSFT than the account holds opens a short, filled at the next open less
  // half the new spread and the slippage (10 + 1 bp).
  const t = ticket();
  await t.getByRole('button', { name: 'Sell', exact: true }).click();
  await t.getByLabel('Order type').selectOption('market');
  await t.getByLabel('Quantity').fill('1500');
  await t.getByTestId('ticket-submit').click();
  await expect(t.getByTestId('ticket-ok')).toContainText('sell 1,500 MSFT');
  const fillsBefore = await tabCount(/Fills/);
  // Daily bars are stamped at midnight: the first step finishes today's bar (which began before the order), the
  // second plays the next day, whose open fills it.
  const clock = page.getByTestId('market-time');
  for (let step = 0; step < 2; step++) {
    const before = await clock.textContent();
    await page.getByRole('button', { name: 'Step one bar' }).click();
    await expect(clock).not.toHaveText(before ?? '');
  }
  await expect.poll(() => tabCount(/Fills/)).toBe(fillsBefore + 1);
  const fills = await openTab(/Fills/);
  const newest = fills.locator('[data-testid^="fill-row-"]').first();
  await expect(newest).toContainText('SELL');
  const cells = await newest.locator('td').allTextContents();
  const day = (cells[0] ?? '').slice(0, 10);
  const bar = readNasdaqCsv(CSV).find((b) => b.date === day);
  expect(bar, `the fill's day ${day} is in the file`).toBeDefined();
  expect(parseNumber(cells[5] ?? '')).toBeCloseTo((bar as DailyBar).o * (1 - 0.0011), 2);
  const positions = await openTab(/Positions/);
  await expect(positions.getByTestId('position-qty-MSFT')).toHaveText('-500');

  // Shorting cannot be turned off while the account is short: the engine's refusal shows beside the box.
  const account2 = await openTab(/Account/);
  const rules2 = account2.getByRole('form', { name: 'Broker rules' });
  await rules2.getByLabel('Allow short selling').uncheck();
  await rules2.getByRole('button', { name: 'Save rules' }).click();
  await expect(rules2.getByTestId('rule-error-broker.allowShort')).toContainText('buy the shares back first');
  await expect(rules2.getByLabel('Allow short selling')).toBeChecked();
  await expect(account2.getByTestId('account-shorting')).toHaveText('On (margin account)');
  await page.screenshot({ path: path.join(ARTIFACTS, 'trading-broker-rules.png') });
  expect(consoleErrors).toEqual([]);
});
