/**
 * Test support for CLI commands: output streams whose text the test reads, and a command run on a real CLI context
 * (a real engine on the data folder its arguments name).
 */
import { PassThrough } from 'node:stream';
import type { CliCommand } from './command';
import { type CliContext, createCliContext } from './context';

export interface CapturedOutput {
  readonly out: PassThrough;
  readonly errOut: PassThrough;
  /** What was written so far. */
  readonly stdout: string;
  readonly stderr: string;
}

/** Two streams for a command's `out` and `errOut`, collecting what it writes. */
export function captureOutput(): CapturedOutput {
  const out = new PassThrough();
  const errOut = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => {
    stdout += c;
  });
  errOut.on('data', (c) => {
    stderr += c;
  });
  return {
    out,
    errOut,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** Runs `command` with `args` on a fresh CLI context, closed afterwards; `before` can prepare its engine. */
export async function runCommand(
  command: CliCommand,
  args: string[],
  before?: (ctx: CliContext) => void,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = captureOutput();
  const ctx = createCliContext(args, { out: output.out, errOut: output.errOut });
  try {
    before?.(ctx);
    const code = await command.run(ctx);
    return { code, stdout: output.stdout, stderr: output.stderr };
  } finally {
    await ctx.close();
  }
}
