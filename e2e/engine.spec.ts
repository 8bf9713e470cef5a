/**
 * The engine in the desk, end to end in browser mode against the built app (`npx electron-vite build` first): typed
 * questions are routed to their slots and answered, asked again they come from the pattern cache, the decision
 * appears in the feed with its explanation, the agent and performance panels follow, Moonshot's patterns are marked
 * on the chart, and a typed order is placed and its fill reported in the feed.
 *
 * The steps share one desk (one engine, one page), in order, like a trader's session. The replay stays paused, so
 * the market (and with it every cache key) stands still between the questions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { ARTIFACTS, type BrowserMode, callApi, startBrowserMode } from './browser-mode';

const SLOTS = ['internlm2', 'moonshot', 'deepseek', 'yi', 'chatglm', 'qwen', 'minimax'] as const;

let server: BrowserMode;
let page: Page;
const consoleErrors: string[] = [];

const region = (name: string) => page.getByRole('region', { name });
const agents = () => region('Agents');
const feed = () => region('Decision feed');
const commandAnswer = () => page.getByTestId('command-answer');
const chip = (slot: string) => commandAnswer().getByTestId(`slot-chip-${slot}`);

/** Calls the API from the desk's page. */
const apiCall = <T>(method: string, input: unknown): Promise<T> => callApi<T>(page, method, input);

async function ask(text: string): Promise<void> {
  const input = page.getByLabel('Ask or order');
  await input.fill(text);
  await input.press('Enter');
  await expect(commandAnswer()).toContainText(`“${text}”`);
}

async function openAgentsTab(name: 'Slots' | 'Performance' | 'Policy'): Promise<Locator> {
  const tab = agents().getByRole('tab', { name });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  return agents().getByRole('tabpanel');
}

async function expectChips(expected: Record<string, 'hit' | 'miss'>): Promise<void> {
  await expect(commandAnswer().locator('[data-testid^="slot-chip-"]')).toHaveCount(Object.keys(expected).length);
  for (const [slot, cache] of Object.entries(expected)) {
    await expect(chip(slot)).toHaveAttribute('data-cache', cache);
    await expect(chip(slot)).toContainText(cache === 'hit' ? 'cache' : 'computed');
  }
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
  await expect(page.getByRole('button', { name: /Play/ })).toBeVisible();
});

test.afterAll(async () => {
  await page?.close();
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

test('typed questions are routed to their slots, answered, and answered again from the cache', async () => {
  // The engine backfills the session's patterns in a worker at start. Once it has (a scan per symbol in the cache),
  // empty the cache through the performance panel, so that the first answers are computed here.
  const patternEntries = async () => {
    const stats = await apiCall<{ namespaces: { name: string; memoryEntries: number }[] }>('cache.stats', {});
    return stats.namespaces.find((n) => n.name === 'pattern')?.memoryEntries ?? 0;
  };
  await expect.poll(patternEntries, { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
  const perf = await openAgentsTab('Performance');
  await perf.getByRole('button', { name: 'Clear cache…' }).click();
  await perf.getByRole('button', { name: 'Clear it' }).click();
  await expect(page.getByTestId('notice').filter({ hasText: 'Pattern cache cleared' })).toBeVisible();
  expect(await patternEntries()).toBe(0);
  await openAgentsTab('Slots');

  // A pattern question goes to Moonshot and Qwen.
  await ask('is this a bull flag on TSLA?');
  await expectChips({ moonshot: 'miss', qwen: 'miss' });
  await expect(commandAnswer().getByTestId('answer-text')).toContainText('TSLA');
  await expect(commandAnswer().getByTestId('answer-text')).toContainText(/bull flag/i);

  // A comprehensive question goes to all seven; Moonshot's scan of the same bars is already in the cache.
  await ask('should I buy TSLA calls?');
  await expectChips({
    internlm2: 'miss',
    moonshot: 'hit',
    deepseek: 'miss',
    yi: 'miss',
    chatglm: 'miss',
    qwen: 'miss',
    minimax: 'miss',
  });
  const explanation = (await commandAnswer().getByTestId('answer-text').textContent()) ?? '';
  expect(explanation).toMatch(/^(BUY|SELL|HOLD) TSLA with \d+% confidence/);
  const action = /^(BUY|SELL|HOLD)/.exec(explanation)?.[1] ?? '';

  // The decision is in the feed, with the same explanation naming the slots behind it.
  const decision = feed().getByTestId('feed-decision').filter({ hasText: 'should I buy TSLA calls?' }).first();
  await expect(decision).toHaveAttribute('data-symbol', 'TSLA');
  await expect(decision).toHaveAttribute('data-action', action);
  await expect(decision.getByTestId('feed-explanation')).toHaveText(explanation);
  await expect(decision.getByTestId('feed-explanation')).toContainText('Moonshot (from the cache)');
  await expect(decision.getByTestId('feed-explanation')).toContainText('InternLM2 (computed now)');
  await decision.getByRole('button', { name: 'More' }).click();
  await expect(decision.getByRole('button', { name: 'Less' })).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'engine-computed.png') });

  // Asked again, over the same bars: every analysis comes from the cache.
  await ask('is this a bull flag on TSLA?');
  await expectChips({ moonshot: 'hit', qwen: 'hit' });
  await ask('should I buy TSLA calls?');
  // MiniMax words the alert afresh once: a decision served from the cache is announced as such ("From the cache").
  await expectChips({
    internlm2: 'hit',
    moonshot: 'hit',
    deepseek: 'hit',
    yi: 'hit',
    chatglm: 'hit',
    qwen: 'hit',
    minimax: 'miss',
  });
  await ask('should I buy TSLA calls?');
  await expectChips(Object.fromEntries(SLOTS.map((s) => [s, 'hit'])));
  const decisions = feed().getByTestId('feed-decision').filter({ hasText: 'should I buy TSLA calls?' });
  await expect(decisions).toHaveCount(3);

  // The agent panel: each slot's latest result came from the cache, with its hit rate.
  const slots = agents().getByTestId('agents-slots');
  for (const slot of SLOTS) {
    await expect(slots.getByTestId(`slot-cache-${slot}`)).toHaveText('cache hit');
    await expect(slots.getByTestId(`slot-hitrate-${slot}`)).toHaveText(/^\d+%$/);
  }
  await expect(slots.getByTestId('slot-hitrate-qwen')).not.toHaveText('0%');
  await expect(slots.getByTestId('slot-row-moonshot')).toContainText('pattern recognition');
  await expect(slots.getByTestId('slot-row-moonshot')).toContainText(/moonshot-patterns-\d/);
  await expect(slots.getByTestId('policy-line')).toContainText('cpu');
  await page.screenshot({ path: path.join(ARTIFACTS, 'engine-cached.png') });

  // The performance panel: counts, live plots, per-slot percentiles, the cache's tiers.
  const panel = await openAgentsTab('Performance');
  await expect
    .poll(async () => Number((await panel.getByTestId('perf-queries-count').textContent())?.replace(/,/g, '')))
    .toBeGreaterThanOrEqual(5);
  await expect(panel.getByTestId('perf-plot-throughput').locator('svg[role="img"] polyline').first()).toBeVisible();
  await expect(panel.getByTestId('perf-plot-latency').locator('svg[role="img"]')).toBeVisible();
  await expect(panel.getByTestId('perf-slot-moonshot')).toContainText(/\d+%/);
  await expect(panel.getByTestId('perf-queries-p50')).toHaveText(/^\d[\d.]* (µs|ms|s)$/);
  await expect
    .poll(async () => Number((await panel.getByTestId('perf-tier-memory-entries').textContent())?.replace(/,/g, '')))
    .toBeGreaterThan(0);
  // The decision SLO is a setting the engine reads when it starts: saved, and shown as pending until then.
  await panel.getByLabel('Decision SLO in milliseconds').fill('12');
  await panel.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(panel.getByTestId('slo-pending')).toHaveText(
    '12 ms is saved; the engine uses it from its next start (now 8 ms).',
  );
  await panel.getByTestId('perf-plot-throughput').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, 'engine-performance.png') });
  await openAgentsTab('Slots');
  expect(consoleErrors).toEqual([]);
});

test("Moonshot's recent patterns are marked on the chart and listed in its legend", async () => {
  await region('Watchlist').getByRole('button', { name: 'Chart TSLA' }).click();
  const chart = page.getByTestId('chart');
  await expect(chart).toHaveAttribute('data-symbol', 'TSLA');

  // The test's own look at the same scan and bars, through the API.
  const answer = await apiCall<{ slots: { slot: string; value?: unknown }[] }>('engine.ask', {
    text: 'any patterns on TSLA?',
  });
  const hits = (answer.slots.find((s) => s.slot === 'moonshot')?.value ?? []) as {
    kind: string;
    category: 'chart' | 'candlestick';
    endT: number;
    confidence: number;
    detail: { breakoutLevel: number | null };
  }[];
  const { bars } = await apiCall<{ bars: { t: number }[] }>('market.bars', {
    symbol: 'TSLA',
    timeframe: '1m',
    limit: 800,
  });
  const barsAgo = (t: number) => bars.filter((b) => b.t > t).length;
  expect(hits.length, 'Moonshot finds patterns in 300 bars of the simulated market').toBeGreaterThan(0);

  const newestT = Math.max(...hits.map((h) => h.endT));
  const newest = hits.filter((h) => h.endT === newestT).sort((a, b) => b.confidence - a.confidence)[0];
  const recentLimit = (h: { category: string }) => (h.category === 'chart' ? 120 : 10);
  const anyRecent = hits.some((h) => barsAgo(h.endT) < recentLimit(h));
  const legend = page.getByTestId('pattern-legend');
  if (!anyRecent) {
    await expect(legend).toHaveCount(0);
    return;
  }

  const items = legend.getByTestId('pattern-mark');
  await expect(items.first()).toBeVisible();
  // Every entry is a pattern of the scan, at its own bar: nothing is made up.
  const listed = await items.evaluateAll((els) =>
    els.map((el) => ({ kind: el.getAttribute('data-kind'), endT: Number(el.getAttribute('data-end-t')) })),
  );
  for (const entry of listed) {
    expect(
      hits.some((h) => h.kind === entry.kind && h.endT === entry.endT),
      `${entry.kind} at ${entry.endT} is in Moonshot's scan`,
    ).toBe(true);
  }
  // The newest pattern of the scan leads the list when it is recent.
  if (newest && barsAgo(newest.endT) < recentLimit(newest)) {
    await expect(items.first()).toHaveAttribute('data-kind', newest.kind);
    await expect(items.first()).toHaveAttribute('data-end-t', String(newest.endT));
  }
  // Each is marked on the chart; the chart patterns' breakout levels are drawn as price lines.
  await expect.poll(async () => Number(await chart.getAttribute('data-pattern-markers'))).toBe(listed.length);
  const chartHits = listed
    .map((e) => hits.find((h) => h.kind === e.kind && h.endT === e.endT))
    .filter((h) => h?.category === 'chart' && h.detail.breakoutLevel !== null);
  if (chartHits.length > 0) {
    await expect.poll(async () => Number(await chart.getAttribute('data-breakout-lines'))).toBeGreaterThan(0);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'engine-patterns.png') });

  // Switching the marks off clears them from the chart.
  await region('Chart').getByRole('button', { name: 'Patterns' }).click();
  await expect(legend).toHaveCount(0);
  await expect.poll(async () => Number(await chart.getAttribute('data-pattern-markers'))).toBe(0);
  await region('Chart').getByRole('button', { name: 'Patterns' }).click();
  await expect(legend.getByTestId('pattern-mark').first()).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('an order typed in the command bar is placed, and its fill is reported in the feed', async () => {
  const ticket = region('Order ticket');
  await expect(ticket.getByRole('button', { name: 'Buy', exact: true })).toHaveAttribute('aria-pressed', 'true');
  const input = page.getByLabel('Ask or order');

  // "/" jumps to the command bar; typing there never fires the ticket's B and S shortcuts.
  await page.getByTestId('market-time').click();
  await page.keyboard.press('/');
  await expect(input).toBeFocused();
  await page.keyboard.type('sell 5 TSLA');
  await expect(input).toHaveValue('sell 5 TSLA');
  await expect(ticket.getByRole('button', { name: 'Buy', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await input.fill('');

  await ask('buy 10 TSLA');
  await expect(commandAnswer().getByTestId('answer-order')).toHaveText(/^Placed · order #\d+$/);
  await expect(commandAnswer().getByTestId('answer-text')).toContainText('Buy 10 Tesla at market');
  await expect(commandAnswer().getByTestId('slot-chip-chatglm')).toBeVisible();
  const orderId = /#(\d+)/.exec((await commandAnswer().getByTestId('answer-order').textContent()) ?? '')?.[1];
  const blotter = region('Blotter');
  await blotter.getByRole('tab', { name: /Orders \(/ }).click();
  await expect(blotter.getByTestId(`order-status-${orderId}`)).toBeVisible();

  // ↑ brings the order back; Esc clears the field.
  await input.press('ArrowUp');
  await expect(input).toHaveValue('buy 10 TSLA');
  await input.press('Escape');
  await expect(input).toHaveValue('');

  // The market order fills on the next trade: one step of the replay, and the fill leads the feed.
  await page.getByRole('button', { name: 'Step one bar' }).click();
  const fill = feed().locator('[data-testid="feed-alert"][data-priority="fill"]').first();
  await expect(fill).toContainText('TSLA');
  await expect(fill).toContainText('Filled: bought 10');
  await feed().getByLabel('Show in the feed').selectOption('alerts');
  await expect(feed().getByTestId('feed-alert').first()).toHaveAttribute('data-priority', 'fill');
  await expect(feed().getByTestId('feed-decision')).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, 'engine-order-fill.png') });
  await feed().getByLabel('Show in the feed').selectOption('all');
  expect(consoleErrors).toEqual([]);
});
