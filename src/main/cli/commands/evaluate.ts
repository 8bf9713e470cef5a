import fs from 'node:fs';
import path from 'node:path';
import type { Timeframe } from '../../../shared/domain/market';
import { AppError } from '../../../shared/result';
import { readFlag, sharedDataDir } from '../../core/paths';
import { readMarketFile, type SyntheticSpec } from '../../core/policy/data-sources';
import { DEFAULT_MODEL_DATA, defaultModelFile, userModelFile } from '../../core/policy/default-model';
import { DEFAULT_DQN_CONFIG } from '../../core/policy/dqn-trainer';
import { type EvaluationGroup, runEvaluation } from '../../core/policy/evaluation-run';
import { isProviderNote, PolicyRuntime } from '../../core/policy/policy-runtime';
import { WorkerPool } from '../../core/workers/pool';
import type { CliCommand } from '../command';
import { ProgressBar } from '../progress-bar';

/**
 * The real daily files evaluated by default (in $SWAGGY_SHARED_DATA/market/daily, else ../shared/data/market/daily next to the project): one per
 * watchlist-like ticker, each in a different vendor's layout, read with the importer's parser.
 */
export const DEFAULT_REAL_FILES = [
  'yahoofinance-AAPL-20040819-20180120.csv',
  'HistoricalData_MSFT.csv',
  'tsla_us_d.csv',
  'nvda-1999-2014.txt',
  'spy.us.txt',
  'amzn_us_d.csv',
  'GOOG_backtesting.py.csv',
];

function allFlags(args: readonly string[], name: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === name && args[i + 1]) out.push(args[i + 1] as string);
    else if (a.startsWith(`${name}=`)) out.push(a.slice(name.length + 1));
  });
  return out;
}

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: 'The policy vs buy-and-hold vs random on held-out data, with costs; writes equity-curve SVGs.',
  usage: 'evaluate [--model FILE] [--file CSV]... [--no-synthetic] [--no-real] [--out DIR] [--json]',
  async run(ctx) {
    const userModel = userModelFile(ctx.dataDir);
    const modelFile = path.resolve(
      readFlag(ctx.args, '--model') ?? (fs.existsSync(userModel) ? userModel : defaultModelFile(ctx.projectRoot)),
    );
    const outDir = path.resolve(readFlag(ctx.args, '--out') ?? path.join(ctx.dataDir, 'evaluation'));
    const warnings: string[] = [];
    const runtime = await PolicyRuntime.load(modelFile, { warn: (m) => warnings.push(m) });
    const pool = new WorkerPool(1);
    try {
      const meta = runtime.metadata;
      ctx.errOut.write(`Policy ${runtime.version} from ${modelFile} on ${runtime.provider}\n`);
      // Providers not tried or fallen back from are notes (the CPU is normal); anything else is a warning.
      for (const w of warnings) ctx.errOut.write(`  ${isProviderNote(w) ? 'note' : 'warning'}: ${w}\n`);
      const groups: EvaluationGroup[] = [];

      if (!ctx.args.includes('--no-synthetic')) {
        const trainedOn = meta.data.synthetic;
        const spec: SyntheticSpec = trainedOn
          ? { ...trainedOn, timeframe: trainedOn.timeframe as Timeframe, symbols: meta.data.symbols }
          : DEFAULT_MODEL_DATA;
        const bar = new ProgressBar(`Generating the synthetic market (seed ${spec.seed})`, 'days', ctx.errOut);
        const generated = await pool.run(
          'policy.train',
          { phase: 'generate', spec },
          { onProgress: (d, t) => bar.update(d, t) },
        );
        if (generated.phase !== 'generate') throw new AppError('INTERNAL', 'unexpected worker reply');
        bar.finish(`${generated.series.length} symbols`);
        groups.push({
          name: `Synthetic market (seed ${spec.seed}, ${spec.timeframe})`,
          slug: 'synthetic',
          series: generated.series.map((s) => ({ dataset: `synthetic ${s.symbol}`, series: s })),
        });
      }

      if (!ctx.args.includes('--no-real')) {
        let files = allFlags(ctx.args, '--file').map((f) => path.resolve(f));
        if (files.length === 0) {
          const dir = path.join(sharedDataDir(ctx.projectRoot), 'market', 'daily');
          if (fs.existsSync(dir))
            files = DEFAULT_REAL_FILES.map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
          else ctx.errOut.write(`No real daily files at ${dir}; pass --file CSV to evaluate on your own\n`);
        }
        const series = files.flatMap((file) =>
          readMarketFile(file).map((s) => ({ dataset: `${s.symbol} (${path.basename(file)})`, series: s })),
        );
        if (series.length > 0) groups.push({ name: 'Real daily files', slug: 'real-daily', series });
      }
      if (groups.length === 0) throw new AppError('BAD_INPUT', 'Nothing to evaluate on');

      const run = await runEvaluation(runtime, groups, {
        costModel: meta.costModel,
        startingCashE4: DEFAULT_DQN_CONFIG.startingCashE4,
        outDir,
        modelVersion: runtime.version,
      });
      const header =
        `Policy ${runtime.version} (${path.basename(modelFile)}), provider ${runtime.provider}. Held-out test period: the last ` +
        `20% of each series after warm-up. Decisions at each close, market orders at the next open; costs: ` +
        `$${(meta.costModel.commissionPerShareE4 / 10_000).toFixed(3)}/share (min $${(meta.costModel.commissionMinE4 / 10_000).toFixed(2)}), ` +
        `${meta.costModel.spreadBps} bp spread (half paid), ${meta.costModel.slippageBps} bp slippage; $100,000 start. ` +
        'Sharpe annualised from daily returns; turnover = traded notional / starting equity; random = mean of 20 seeded runs.';
      const markdown = `${header}\n\n${run.markdown}\n`;
      fs.writeFileSync(path.join(outDir, 'evaluation.md'), markdown);
      fs.writeFileSync(
        path.join(outDir, 'evaluation.json'),
        // Paths relative to the table, so the folder can be moved or committed as it is.
        `${JSON.stringify(
          {
            modelVersion: runtime.version,
            modelFile: path.basename(modelFile),
            provider: runtime.provider,
            rows: run.rows,
            plots: run.plots.map((p) => path.basename(p)),
            notes: run.notes,
          },
          null,
          2,
        )}\n`,
      );
      if (ctx.args.includes('--json')) {
        ctx.out.write(
          `${JSON.stringify({ modelVersion: runtime.version, rows: run.rows, plots: run.plots, notes: run.notes }, null, 2)}\n`,
        );
      } else {
        ctx.out.write(`${markdown}\n`);
        for (const note of run.notes) ctx.out.write(`note: ${note}\n`);
        ctx.out.write(`Equity curves: ${run.plots.join(', ')}\nTable: ${path.join(outDir, 'evaluation.md')}\n`);
      }
      return 0;
    } finally {
      await pool.close();
      await runtime.dispose();
    }
  },
};
