import { spawn } from 'node:child_process';
import { AppError } from '../../../shared/result';

export interface RunToolOptions {
  /** Bytes for the tool's stdin (closed after writing). */
  input?: Buffer | string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Resolve even when the tool exits non-zero (the caller inspects `code`). */
  allowFailure?: boolean;
}

export interface ToolResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

/**
 * Runs a tool with an argument array (never a shell: text from users and imported files reaches these tools) and
 * collects its output. A timeout kills the tool we started, and only that one.
 */
export function runTool(command: string, args: readonly string[], options: RunToolOptions = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    let settled = false;
    const timer =
      options.timeoutMs === undefined
        ? null
        : setTimeout(() => {
            if (settled) return;
            settled = true;
            child.kill('SIGKILL');
            reject(new AppError('TIMEOUT', `${command} did not finish within ${options.timeoutMs} ms`));
          }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new AppError('UNAVAILABLE', `${command} is not installed`)
          : new AppError('INTERNAL', `${command} failed to start: ${error.message}`),
      );
    });
    child.on('close', (code) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      const result = { stdout: Buffer.concat(out), stderr, code };
      if (code !== 0 && !options.allowFailure) {
        reject(new AppError('INTERNAL', `${command} exited with code ${code}: ${stderr.trim().slice(0, 300)}`));
      } else resolve(result);
    });
    child.stdin.on('error', () => {
      // The tool may exit before reading its input; its exit code tells the story.
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}
