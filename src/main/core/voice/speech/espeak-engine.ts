import { spawn } from 'node:child_process';
import { which } from '../../doctor/which';
import { toSpeakableText } from './speakable-text';
import { killOwnGroup, type SpeakHandle, type SpeechEngine, waitForSpeech } from './speech-engine';

export interface EspeakOptions {
  /** espeak-ng voice, for example `en-us` or `en-us+f3`. */
  readonly voice?: string;
  /** Words per minute. */
  readonly wpm?: number;
  /** Extra environment (the test harness's PULSE_SERVER). */
  readonly env?: Readonly<Record<string, string>>;
}

/** espeak-ng: about 15 ms to first audio here, against about half a second for festival. */
export class EspeakEngine implements SpeechEngine {
  readonly name = 'espeak-ng' as const;

  constructor(private readonly options: EspeakOptions = {}) {}

  available(): { ok: boolean; detail: string } {
    const path = which('espeak-ng');
    return path
      ? { ok: true, detail: `espeak-ng (${this.options.voice ?? 'en-us'}), the fast voice` }
      : { ok: false, detail: 'espeak-ng is not installed (apt-get install espeak-ng)' };
  }

  speak(text: string): SpeakHandle {
    const voice = /^[a-z]{2,3}(-[a-z0-9]{2,8})*(\+[a-z0-9]{1,16})?$/i.test(this.options.voice ?? '')
      ? (this.options.voice as string)
      : 'en-us';
    const wpm = Math.min(400, Math.max(80, Math.round(this.options.wpm ?? 175)));
    // Text on stdin, never argv: nothing in it can read as an option.
    const child = spawn('espeak-ng', ['-v', voice, '-s', String(wpm), '--stdin'], {
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, ...(this.options.env ?? {}) },
    });
    const done = waitForSpeech(child, 'espeak-ng');
    child.stdin?.on('error', () => {});
    child.stdin?.end(`${toSpeakableText(text)}\n`);
    return { done, stop: () => killOwnGroup(child), processGroup: child.pid };
  }
}
