/**
 * The recogniser boundary. Everything above it (push-to-talk, the normaliser, the read-back) sees only this
 * interface, so a neural recogniser (Whisper through onnxruntime-node, say) can be added beside PocketSphinx
 * without touching the rest.
 */
import type { CommandLanguage } from '../grammar/command-language';

/** What a recogniser made of one utterance. */
export interface RecognitionResult {
  /** Recognised words in the grammar's spelling (`ltr_i ltr_b ltr_m`), fillers removed. */
  readonly words: readonly string[];
  /**
   * Confidence in [0, 1] that the speech is the sentence in `words`, calibrated so that 0.5 is the recogniser's
   * own rejection boundary (the service asks more for orders). A recogniser that searches a grammar always returns
   * its closest sentence, even for speech that is not a command; this is how it says so.
   */
  readonly confidence: number;
  /** True when the recogniser itself judges the speech to be outside the command language (or silence). */
  readonly outOfGrammar: boolean;
  /** True when it heard no speech at all. */
  readonly silence: boolean;
  /** Milliseconds from the end of the audio to this result. */
  readonly finishMs: number;
  /** Recogniser-specific numbers for diagnostics and tuning (scores, frame counts). */
  readonly detail: Readonly<Record<string, number | string>>;
}

/** One utterance being recognised: audio goes in while the key is held, the result comes out after `end`. */
export interface RecognitionSession {
  /** 16 kHz mono s16le PCM, in any chunk size. */
  write(pcm: Buffer): void;
  /** No more audio: resolves with the result. */
  end(): Promise<RecognitionResult>;
  /** Abandons the utterance (key cancelled, app closing); `end` is not called after this. */
  abort(): void;
}

export interface SpeechRecognizer {
  /** For the voice bar and `doctor`: "pocketsphinx". */
  readonly name: string;
  /** The audio format `write` expects. */
  readonly sampleRateHz: number;
  /** Whether the recogniser can run on this machine, with a reason when it cannot. */
  available(): { ok: boolean; detail: string };
  /**
   * Loads (or reloads) the command language and warms the recogniser so the next utterance pays no start-up.
   * A reload keeps serving the previous language until the new one is ready.
   */
  load(language: CommandLanguage): Promise<void>;
  /** The language currently served, or null before the first load. */
  readonly language: CommandLanguage | null;
  /** Starts an utterance. Throws `UNAVAILABLE` before `load` has finished once. */
  begin(): RecognitionSession;
  close(): Promise<void>;
}
