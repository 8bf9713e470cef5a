/**
 * `npm run bench -- <name>`: runs one benchmark, prints a table and writes bench/results/<name>.json.
 * Benchmarks compare side by side within one run (ratios), because this machine is shared and noisy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchBacktest } from './backtest-bench';
import { benchEngine, formatEngineBench } from './engine-bench';
import { benchImport } from './import-bench';
import { benchInference, formatInferenceBench } from './inference-bench';
import { benchSentiment, formatSentimentBench } from './sentiment-bench';
import { benchVoice } from './voice-bench';

type Bench = () => Promise<{ json: unknown; table: string }>;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const benches: Record<string, { summary: string; run: Bench }> = {
  market: {
    summary: 'CSV import rows/s (1,000,000 daily rows) and backtest bars/s through the broker (1,000,000 bars)',
    run: async () => {
      const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
      const imported = await benchImport({ rows });
      const backtest = await benchBacktest({ bars: rows });
      const lines = [
        '| benchmark | items | seconds | cpu s | items/s |',
        '|---|---:|---:|---:|---:|',
        `| CSV import, in-process | ${fmt(imported.rows)} rows | ${imported.seconds.toFixed(2)} | ${imported.cpuSeconds.toFixed(2)} | ${fmt(imported.rowsPerSec)} |`,
        ...(imported.workerSeconds !== null && imported.workerRowsPerSec !== null
          ? [
              `| CSV import, worker thread | ${fmt(imported.rows)} rows | ${imported.workerSeconds.toFixed(2)} | | ${fmt(imported.workerRowsPerSec)} |`,
            ]
          : []),
        ...backtest.runs.map(
          (r) =>
            `| backtest: ${r.label} | ${fmt(r.bars)} bars | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${fmt(r.barsPerSec)} |`,
        ),
      ];
      return { json: { import: imported, backtest }, table: lines.join('\n') };
    },
  },
  engine: {
    summary: 'The standard workload through the traditional path (no cache) and the cached engine, side by side',
    run: async () => {
      const r = await benchEngine({ bars: Number(process.env.BENCH_BARS ?? 120) });
      return { json: r, table: formatEngineBench(r) };
    },
  },
  inference: {
    summary: 'DQN policy latency per decision at batch 1, 16 and 256, uncached and cached, on the active provider',
    run: async () => {
      const r = await benchInference();
      return { json: r, table: formatInferenceBench(r) };
    },
  },
  voice: {
    summary:
      'Command accuracy, word error rate, false commands, release-to-intent and alert latency (generated speech)',
    run: async () => {
      // The voice bench prints its own table as it finishes.
      const r = await benchVoice();
      return { json: r, table: '' };
    },
  },
  sentiment: {
    summary: "Yi's accuracy on the labelled news sets (Financial PhraseBank, tweets)",
    run: async () => {
      const r = await benchSentiment({ write: false });
      return { json: r, table: formatSentimentBench(r) };
    },
  },
};

async function main(): Promise<void> {
  const name = process.argv[2];
  const bench = name ? benches[name] : undefined;
  if (!bench) {
    console.log('usage: npm run bench -- <name>\n');
    for (const [key, b] of Object.entries(benches)) console.log(`  ${key.padEnd(10)} ${b.summary}`);
    process.exitCode = name ? 2 : 0;
    return;
  }
  console.log(`${name}: ${bench.summary}\n(${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(2)})\n`);
  const { json, table } = await bench.run();
  console.log(table);
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(
    file,
    `${JSON.stringify({ bench: name, at: new Date().toISOString(), loadAverage: os.loadavg(), node: process.version, result: json }, null, 2)}\n`,
  );
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
