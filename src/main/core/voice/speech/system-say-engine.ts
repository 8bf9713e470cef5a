import say from 'say';
import { toSpeakableText } from './speakable-text';
import type { SpeakHandle, SpeechEngine } from './speech-engine';

/**
 * `say` on macOS (the `say` command) and Windows (System.Speech), where its text goes to the tool as one argument
 * or through stdin rather than into an interpreter. Text is still reduced to speakable ASCII, and a leading dash
 * is removed so macOS `say` cannot read it as an option.
 */
export class SystemSayEngine implements SpeechEngine {
  readonly name = 'say' as const;

  available(): { ok: boolean; detail: string } {
    return process.platform === 'darwin' || process.platform === 'win32'
      ? { ok: true, detail: `the system voice through say (${process.platform})` }
      : { ok: false, detail: 'the system voice through say is for macOS and Windows; Linux uses festival' };
  }

  speak(text: string): SpeakHandle {
    // One instance per utterance: say keeps one `child`, and its stop() acts on that child only on these platforms.
    const instance = new (say as unknown as { Say: new (platform?: string) => typeof say }).Say();
    const done = new Promise<void>((resolve, reject) => {
      instance.speak(toSpeakableText(text), undefined, undefined, (error) =>
        error ? reject(new Error(error)) : resolve(),
      );
    });
    return {
      done,
      stop: () => {
        try {
          instance.stop();
        } catch {
          // nothing was playing
        }
      },
    };
  }
}
