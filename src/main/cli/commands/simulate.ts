import readline from 'node:readline';
import type { Decision } from '../../../shared/domain/decision';
import { formatUsd, fromE4 } from '../../../shared/money';
import { toApiError } from '../../../shared/result';
import { readFlag } from '../../core/paths';
import type { CliCommand } from '../command';

const time = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

/** One line per decision: the action, and which slots answered from the cache. */
function decisionLine(d: Decision): string {
  const slots = d.contributions
    .map((c) => `${c.slot === 'policy' ? 'DQN' : c.slot}${c.fromCache ? '·hit' : ''}`)
    .join(' ');
  return `${time(d.t)}  ${d.symbol.padEnd(5)} ${d.action.padEnd(4)} ${String(Math.round(d.confidence * 100)).padStart(3)}%  qty ${String(d.suggestedQty).padStart(4)}  [${slots}]${d.fromCache ? ' (decision from cache)' : ''}`;
}

/**
 * The seed's interactive simulator, made real: the simulated market (or the last replay) plays, every bar runs
 * through the slots and the synthesis, decisions and paper fills print as they happen with the portfolio value,
 * and typed lines go to the same router as the desk's command bar ("buy 10 AAPL", "is this a bull flag on TSLA").
 */
export const simulateCommand: CliCommand = {
  name: 'simulate',
  summary: 'Live in the terminal: ticks, slot cache hits, Qwen decisions, paper fills and portfolio value.',
  usage: 'simulate [--speed 600] [--bars N] [--seed N] [--trade] [--data-dir DIR]',
  async run(ctx) {
    const speedFlag = readFlag(ctx.args, '--speed') ?? '600';
    const speed = speedFlag === 'max' ? 'max' : Number(speedFlag);
    if (speed !== 'max' && !(Number.isFinite(speed) && speed >= 1 && speed <= 10_000)) {
      ctx.errOut.write(`--speed must be 1 to 10000 or "max" (got ${speedFlag})\n`);
      return 2;
    }
    const barsFlag = readFlag(ctx.args, '--bars');
    const maxBars = barsFlag === undefined ? Number.POSITIVE_INFINITY : Number(barsFlag);
    if (!(maxBars > 0)) {
      ctx.errOut.write(`--bars must be a positive number (got ${barsFlag})\n`);
      return 2;
    }
    const seedFlag = readFlag(ctx.args, '--seed');
    const autoTrade = ctx.args.includes('--trade');

    const engine = ctx.engine();
    if (seedFlag !== undefined) await ctx.call('settings.set', { key: 'market.seed', value: Number(seedFlag) });
    const state = await ctx.call('replay.load', {
      source: 'synthetic',
      ...(seedFlag !== undefined ? { seed: Number(seedFlag) } : {}),
    });
    const out = ctx.out;
    out.write(
      `Simulated market (seed ${state.seed}) · ${state.symbols.join(', ')} · ${state.timeframe} bars from ${time(state.marketT)} · speed ${speed}×${autoTrade ? ' · auto-trading on decisions' : ''}\n`,
    );
    out.write('Type a question or an order and press Enter (Ctrl+C stops).\n\n');

    let bars = 0;
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const stops: (() => void)[] = [];
    stops.push(
      engine.events.on('onDecision', (d) => {
        out.write(`${decisionLine(d)}\n`);
        if (!autoTrade || d.action === 'HOLD') return;
        const position = engine.broker.positions().find((p) => p.symbol === d.symbol)?.qty ?? 0;
        const order =
          d.action === 'BUY' && position <= 0 && d.suggestedQty > 0 && d.confidence >= 0.55
            ? `buy ${d.suggestedQty} ${d.symbol} at market`
            : d.action === 'SELL' && position > 0
              ? `sell ${position} ${d.symbol} at market`
              : null;
        if (order) {
          void ctx.call('engine.ask', { text: order }).then(
            (a) => out.write(`            ↳ ${a.text}\n`),
            (e) => out.write(`            ↳ ${toApiError(e).message}\n`),
          );
        }
      }),
    );
    stops.push(
      engine.events.on('onFill', (f) => {
        const account = engine.broker.summary();
        out.write(
          `${time(f.t)}  FILL  ${f.side.toUpperCase()} ${f.qty} ${f.symbol} @ ${fromE4(f.priceE4).toFixed(2)} · equity ${formatUsd(account.equityE4)} (cash ${formatUsd(account.cashE4)})\n`,
        );
      }),
    );
    let lastPrint = 0;
    stops.push(
      engine.events.on('onBars', ({ bars: events }) => {
        const base = events.filter((e) => e.timeframe === state.timeframe);
        if (base.length === 0) return;
        bars += base.length / state.symbols.length;
        const now = Date.now();
        if (now - lastPrint > 2000) {
          lastPrint = now;
          const quotes = engine.market.quotes().quotes;
          const account = engine.broker.summary();
          const hit = engine.orchestrator.stats().hitRate;
          out.write(
            `${time((base.at(-1) as { bar: { t: number } }).bar.t)}  ${quotes.map((q) => `${q.symbol} ${q.last?.toFixed(2) ?? '—'}`).join('  ')} · portfolio ${formatUsd(account.equityE4)} · cache hit ${(hit * 100).toFixed(0)}%\n`,
          );
        }
        if (bars >= maxBars) finished();
      }),
    );

    let rl: readline.Interface | null = null;
    if (process.stdin.isTTY && ctx.out === process.stdout) {
      rl = readline.createInterface({ input: process.stdin, terminal: false });
      rl.on('line', (line) => {
        if (!line.trim()) return;
        void ctx.call('engine.ask', { text: line }).then(
          (a) =>
            out.write(
              `» ${a.text}\n  [${a.slots.map((s) => `${s.slot}${s.fromCache ? '·hit' : ''}`).join(' ')}] ${(a.latencyUs / 1000).toFixed(2)} ms\n`,
            ),
          (e) => out.write(`» ${toApiError(e).message}\n`),
        );
      });
      rl.on('close', () => finished());
    }
    const onSigint = () => finished();
    process.once('SIGINT', onSigint);

    let stopped = false;
    void done.then(() => {
      stopped = true;
    });
    if (speed === 'max') {
      // As fast as the engine goes, bar by bar: every bar runs the decode path to the end before the next one, so
      // nothing is coalesced away (the replay clock's own "max" pushes bars in batches, faster than decisions).
      while (!stopped) {
        engine.market.step();
        await engine.orchestrator.admission.whenIdle();
        await new Promise((resolve) => setImmediate(resolve));
      }
    } else {
      await ctx.call('replay.setSpeed', { speed });
      await ctx.call('replay.play');
      await done;
      await ctx.call('replay.pause');
    }
    await engine.orchestrator.admission.whenIdle();
    process.off('SIGINT', onSigint);
    rl?.close();
    for (const stop of stops) stop();
    const account = engine.broker.summary();
    const stats = engine.orchestrator.stats();
    out.write(
      `\nStopped after ${Math.round(bars)} bars. Portfolio ${formatUsd(account.equityE4)} (realised ${formatUsd(account.realizedPnlE4)}, unrealised ${formatUsd(account.unrealizedPnlE4)}); ${stats.decisions.count} decisions, p99 ${(stats.decisions.latency.p99Us / 1000).toFixed(2)} ms; cache hit rate ${(stats.hitRate * 100).toFixed(1)}%; admission deferred ${stats.admission.deferred}, dropped ${stats.admission.rejected.decode ?? 0}.\n`,
    );
    return 0;
  },
};
