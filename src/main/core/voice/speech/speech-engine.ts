import type { ChildProcess } from 'node:child_process';
import type { SpeechEngineName } from '../../../../shared/domain/voice';

/** One utterance being spoken. */
export interface SpeakHandle {
  /** Resolves when the speech has finished (or was stopped); rejects when the engine failed. */
  readonly done: Promise<void>;
  /** Stops this utterance: kills the processes this engine started for it, and only those. */
  stop(): void;
  /** The process group the engine started for this utterance (its own child leads it), for diagnostics and tests. */
  readonly processGroup?: number;
}

/**
 * A text-to-speech engine. Implementations spawn their tools with argument arrays (never a shell) and receive
 * text already made safe by toSpeakableText.
 */
export interface SpeechEngine {
  readonly name: SpeechEngineName;
  /** Whether it can speak on this machine; `detail` says what it uses or what is missing. */
  available(): { ok: boolean; detail: string };
  speak(text: string): SpeakHandle;
}

/**
 * Stops a child we spawned with `detached: true` together with everything it started (festival runs aplay
 * through a shell). The signal goes to the process group whose leader is our own child: never a guessed pid.
 */
export function killOwnGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Waits for a spawned speech process; rejects with its stderr when it fails. */
export function waitForSpeech(child: ChildProcess, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(new Error(error.code === 'ENOENT' ? `${label} is not installed` : `${label}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (code === 0 || signal === 'SIGTERM' || signal === 'SIGKILL') resolve();
      else reject(new Error(`${label} exited with ${signal ?? `code ${code}`}: ${stderr.trim().slice(0, 300)}`));
    });
  });
}
