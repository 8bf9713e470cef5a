import { spawn } from 'node:child_process';
import { which } from '../../doctor/which';
import { toSpeakableText } from './speakable-text';
import { killOwnGroup, type SpeakHandle, type SpeechEngine, waitForSpeech } from './speech-engine';

export interface FliteOptions {
  /** flite voice (`slt`, `kal`, `awb`, `rms`) or a path to a .flitevox file. */
  readonly voice?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * flite (Debian package `flite`): as fast as espeak-ng. Offered only where it is installed; it is not on this
 * machine, so this engine is exercised only where it is.
 */
export class FliteEngine implements SpeechEngine {
  readonly name = 'flite' as const;

  constructor(private readonly options: FliteOptions = {}) {}

  available(): { ok: boolean; detail: string } {
    return which('flite')
      ? { ok: true, detail: `flite (${this.options.voice ?? 'default voice'}), a fast voice` }
      : { ok: false, detail: 'flite is not installed (apt-get install flite)' };
  }

  speak(text: string): SpeakHandle {
    const args: string[] = [];
    if (this.options.voice && /^[A-Za-z0-9_./-]{1,200}$/.test(this.options.voice))
      args.push('-voice', this.options.voice);
    // `-t` takes the next argument as the text itself, so text that looks like an option stays text.
    args.push('-t', toSpeakableText(text));
    const child = spawn('flite', args, {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...(this.options.env ?? {}) },
    });
    return { done: waitForSpeech(child, 'flite'), stop: () => killOwnGroup(child), processGroup: child.pid };
  }
}
