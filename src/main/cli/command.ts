import type { CliContext } from './context';

/** One CLI command. `run` resolves to the process exit code. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(ctx: CliContext): Promise<number>;
}
