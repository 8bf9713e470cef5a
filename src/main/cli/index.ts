/**
 * The command-line entry: `npm run cli -- <command> [options]`. It reaches the same engine and the same API
 * dispatcher as the desk.
 */
import { AppError } from '../../shared/result';
import { DatabaseOpenError } from '../core/db/errors';
import type { CliCommand } from './command';
import { backtestCommand } from './commands/backtest';
import { doctorCommand } from './commands/doctor';
import { evaluateCommand } from './commands/evaluate';
import { importCommand } from './commands/import';
import { newsCommand } from './commands/news';
import { simulateCommand } from './commands/simulate';
import { trainCommand } from './commands/train';
import { createCliContext } from './context';

const helpCommand: CliCommand = {
  name: 'help',
  summary: 'List the commands.',
  usage: 'help',
  async run(ctx) {
    ctx.out.write('Swaggy Stacks command line\n\nUsage: npm run cli -- <command> [options]\n\nCommands:\n');
    for (const command of commands) {
      ctx.out.write(`  ${command.name.padEnd(10)} ${command.summary}\n`);
      ctx.out.write(`  ${''.padEnd(10)} npm run cli -- ${command.usage}\n`);
    }
    ctx.out.write(
      "\nCommon options:\n  --data-dir DIR   use this data directory (default: $SWAGGY_DATA_DIR, else the app's user data folder)\n",
    );
    return 0;
  },
};

export const commands: readonly CliCommand[] = [
  helpCommand,
  doctorCommand,
  importCommand,
  newsCommand,
  backtestCommand,
  simulateCommand,
  trainCommand,
  evaluateCommand,
];

export async function runCli(
  argv: readonly string[],
  streams?: { out: NodeJS.WritableStream; errOut: NodeJS.WritableStream },
): Promise<number> {
  const [name = 'help', ...rest] = argv;
  const command = commands.find((c) => c.name === name);
  const ctx = createCliContext(rest, streams);
  if (!command) {
    ctx.errOut.write(`Unknown command "${name}". Run "npm run cli -- help" for the list.\n`);
    return 2;
  }
  try {
    return await command.run(ctx);
  } catch (e) {
    if (e instanceof DatabaseOpenError || e instanceof AppError) {
      ctx.errOut.write(`${e instanceof AppError ? `${e.code}: ` : ''}${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await ctx.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exitCode = 1;
    },
  );
}
