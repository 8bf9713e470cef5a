/**
 * PocketSphinx with Debian's US English model, as two warm decoders that hear every utterance at once:
 *
 * 1. the grammar decoder searches the command grammar (JSGF) and returns the closest command;
 * 2. the reference decoder searches a loop of frequent English words (the "garbage" model) and returns the best
 *    free-form explanation of the same audio.
 *
 * A grammar always returns its closest sentence, even for "open the settings window". The reference is the
 * yardstick: for a command, the grammar explains the audio better per frame than any string of everyday words; for
 * other speech the everyday words win. That per-frame gap is the confidence (see {@link gapConfidence}). A
 * phone loop was tried first as the yardstick; it separated commands from other speech far worse, because free
 * phones fit synthetic and accented speech better than any word sequence does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../../shared/result';
import type { Logger } from '../../config';
import { which } from '../../doctor/which';
import type { CommandLanguage } from '../grammar/command-language';
import { alt, type Grammar, pruneGrammar, rep } from '../grammar/grammar';
import { toJsgf } from '../grammar/jsgf';
import { cleanRecognizedWords } from '../grammar/normalize';
import { SampleAligner } from '../sample-aligner';
import { BatchDecoder, type HypSeg } from './batch-decoder';
import { garbageWords } from './garbage-words';
import { buildDictionary, readPronunciations } from './pocketsphinx-dictionary';
import type { RecognitionResult, RecognitionSession, SpeechRecognizer } from './recognizer';

export const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

export interface PocketSphinxOptions {
  /** Folder with `en-us/` (the acoustic model) and `cmudict-en-us.dict` (Debian: pocketsphinx-en-us). */
  readonly modelDir?: string;
  /** Default: `pocketsphinx_batch` on PATH. */
  readonly binary?: string;
  /**
   * Per-frame acoustic score gap (reference minus grammar; PocketSphinx's scaled log units) above which the
   * utterance is rejected; confidence is 0.5 there. Commands score well below zero, other speech near or above
   * zero. Lower rejects more. Tuned on the generated set (bench/voice-bench.ts).
   */
  readonly gapThreshold?: number;
  /** Width of the confidence curve around the threshold, in score units per frame. */
  readonly gapScale?: number;
  /** Parent folder for the decoders' pipes (default: the OS temp folder). */
  readonly tempDir?: string;
  /** Extra arguments for the grammar decoder (tuning). */
  readonly grammarArgs?: readonly string[];
  /** Extra arguments for the reference decoder (tuning). */
  readonly referenceArgs?: readonly string[];
  readonly log?: Logger;
}

export const DEFAULT_GAP_THRESHOLD = -4;
export const DEFAULT_GAP_SCALE = 2;

/** The reference only has to score the audio, not transcribe it: narrow beams halve its CPU at no loss here. */
const REFERENCE_BEAMS = ['-beam', '1e-30', '-pbeam', '1e-30', '-wbeam', '1e-20'];

/** Silence and breath are the only fillers: a "[SPEECH]" filler would let the grammar skip spoken words. */
const FILLER_DICT = '<s> SIL\n</s> SIL\n<sil> SIL\n';

/** Confidence from the per-frame gap: a logistic curve that is 0.5 at the threshold and falls as the gap grows. */
export function gapConfidence(gapPerFrame: number, threshold: number, scale: number): number {
  const c = 1 / (1 + Math.exp((gapPerFrame - threshold) / scale));
  return Math.round(c * 1000) / 1000;
}

interface Generation {
  readonly language: CommandLanguage;
  /** The command grammar as searched (unpronounceable words removed). */
  readonly grammar: Grammar;
  readonly grammarDecoder: BatchDecoder;
  readonly referenceDecoder: BatchDecoder;
  readonly dir: string;
}

export class PocketSphinxRecognizer implements SpeechRecognizer {
  readonly name = 'pocketsphinx';
  readonly sampleRateHz = 16_000;
  private current: Generation | null = null;
  private loading: Promise<void> | null = null;
  private pendingLanguage: CommandLanguage | null = null;
  private closed = false;
  private lastError: string | null = null;
  private generation = 0;
  private readonly modelDir: string;

  constructor(private readonly options: PocketSphinxOptions = {}) {
    this.modelDir = options.modelDir ?? process.env.SWAGGY_POCKETSPHINX_MODEL ?? DEFAULT_MODEL_DIR;
  }

  get language(): CommandLanguage | null {
    return this.current?.language ?? null;
  }

  /** The grammar the decoder actually searches (words it cannot pronounce removed). */
  get grammar(): Grammar | null {
    return this.current?.grammar ?? null;
  }

  /** What this machine lacks for PocketSphinx, or null when everything is installed. */
  private missingPrerequisite(): string | null {
    if (!this.binaryPath()) {
      return 'PocketSphinx is not installed (Debian: apt-get install pocketsphinx pocketsphinx-en-us)';
    }
    const missing = this.modelFiles().filter((file) => !fs.existsSync(file));
    if (missing.length > 0) {
      return `The PocketSphinx US English model is missing (${missing.join(', ')}); apt-get install pocketsphinx-en-us`;
    }
    if (!which('mkfifo')) return 'mkfifo (coreutils) is missing; the recogniser needs it';
    return null;
  }

  available(): { ok: boolean; detail: string } {
    const missing = this.missingPrerequisite();
    if (missing) return { ok: false, detail: missing };
    if (this.lastError) return { ok: false, detail: this.lastError };
    const binary = this.binaryPath() as string;
    return {
      ok: true,
      detail: this.current
        ? `PocketSphinx (${path.basename(binary)}), grammar of ${this.current.language.symbols.length} symbols, warm`
        : `PocketSphinx (${path.basename(binary)}), not loaded yet`,
    };
  }

  private binaryPath(): string | null {
    return this.options.binary ?? which('pocketsphinx_batch');
  }

  private modelFiles(): string[] {
    return [path.join(this.modelDir, 'en-us', 'mdef'), path.join(this.modelDir, 'cmudict-en-us.dict')];
  }

  load(language: CommandLanguage): Promise<void> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'the recogniser is closed'));
    if (this.current?.language.fingerprint === language.fingerprint && !this.loading) return Promise.resolve();
    // Rebuilds are serialised; of several watchlist changes during one rebuild only the latest is built next.
    this.pendingLanguage = language;
    if (!this.loading) {
      this.loading = this.drainLoads().finally(() => {
        this.loading = null;
      });
    }
    return this.loading;
  }

  private async drainLoads(): Promise<void> {
    while (this.pendingLanguage && !this.closed) {
      const next = this.pendingLanguage;
      this.pendingLanguage = null;
      if (this.current?.language.fingerprint === next.fingerprint) continue;
      const built = await this.buildGeneration(next);
      const previous = this.current;
      this.current = built;
      this.lastError = null;
      if (previous) void this.retire(previous);
    }
  }

  private async buildGeneration(language: CommandLanguage): Promise<Generation> {
    const missing = this.missingPrerequisite();
    const binary = this.binaryPath();
    if (missing || !binary) throw new AppError('UNAVAILABLE', missing ?? 'PocketSphinx is not installed');
    const dir = fs.mkdtempSync(path.join(this.options.tempDir ?? os.tmpdir(), 'swaggy-sphinx-'));
    const cmudict = path.join(this.modelDir, 'cmudict-en-us.dict');
    const commandDict = buildDictionary(language.vocabulary, cmudict);
    const { grammar, removed } = pruneGrammar(language.grammar, (word) => commandDict.known.has(word));
    if (removed.length > 0) {
      this.options.log?.warn(
        `Voice grammar: no pronunciation for ${removed.join(', ')}; those names are not listened for`,
      );
    }
    const garbage = garbageFor(language.vocabulary, commandDict.known, cmudict);
    const reference: Grammar = { root: 'reference', rules: { reference: rep(alt(...garbage)) } };
    const dict = buildDictionary([...commandDict.known, ...garbage], cmudict);
    fs.writeFileSync(path.join(dir, 'grammar.gram'), toJsgf(grammar));
    fs.writeFileSync(path.join(dir, 'reference.gram'), toJsgf(reference));
    fs.writeFileSync(path.join(dir, 'words.dict'), dict.text);
    fs.writeFileSync(path.join(dir, 'fillers.dict'), FILLER_DICT);
    const hmm = path.join(this.modelDir, 'en-us');
    const common = [
      '-hmm',
      hmm,
      '-dict',
      path.join(dir, 'words.dict'),
      '-fdict',
      path.join(dir, 'fillers.dict'),
      // Noise subtraction hurt accuracy on every voice of the generated set.
      '-remove_noise',
      'no',
    ];
    const id = ++this.generation;
    const onExit = (detail: string) => {
      if (this.current?.grammarDecoder === grammarDecoder || this.current?.referenceDecoder === referenceDecoder) {
        this.lastError = `The recogniser stopped: ${detail}`;
        this.options.log?.error(this.lastError);
      }
    };
    const grammarDecoder = new BatchDecoder({
      name: 'the grammar decoder',
      binary,
      args: [...common, '-jsgf', path.join(dir, 'grammar.gram'), ...(this.options.grammarArgs ?? [])],
      workDir: path.join(dir, `g${id}`),
      onExit,
    });
    const referenceDecoder = new BatchDecoder({
      name: 'the reference decoder',
      binary,
      args: [
        ...common,
        '-jsgf',
        path.join(dir, 'reference.gram'),
        ...REFERENCE_BEAMS,
        ...(this.options.referenceArgs ?? []),
      ],
      workDir: path.join(dir, `r${id}`),
      onExit,
    });
    try {
      await Promise.all([grammarDecoder.start(), referenceDecoder.start()]);
    } catch (error) {
      await Promise.all([grammarDecoder.close(), referenceDecoder.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return { language, grammar, grammarDecoder, referenceDecoder, dir };
  }

  private async retire(generation: Generation): Promise<void> {
    await Promise.all([generation.grammarDecoder.close(), generation.referenceDecoder.close()]);
    fs.rmSync(generation.dir, { recursive: true, force: true });
  }

  begin(): RecognitionSession {
    const generation = this.current;
    if (!generation || this.closed) {
      throw new AppError('UNAVAILABLE', this.lastError ?? 'The recogniser is still loading; try again in a moment');
    }
    if (!generation.grammarDecoder.running || !generation.referenceDecoder.running) {
      // A decoder died (killed, crashed): rebuild in the background, refuse this utterance with the reason.
      const language = generation.language;
      this.current = null;
      void this.retire(generation);
      void this.load(language).catch((e) => {
        this.lastError = e instanceof Error ? e.message : String(e);
      });
      throw new AppError('UNAVAILABLE', this.lastError ?? 'The recogniser stopped; restarting it');
    }
    const floor = new NoiseFloor();
    const energy = new PeakEnergy();
    const grammarJob = generation.grammarDecoder.decode();
    const referenceJob = generation.referenceDecoder.decode();
    const threshold = this.options.gapThreshold ?? DEFAULT_GAP_THRESHOLD;
    const scale = this.options.gapScale ?? DEFAULT_GAP_SCALE;
    let audioBytes = 0;
    return {
      write: (pcm) => {
        audioBytes += pcm.length;
        energy.add(pcm);
        const withFloor = floor.apply(pcm);
        grammarJob.write(withFloor);
        referenceJob.write(withFloor);
      },
      end: async () => {
        const endedAt = performance.now();
        const [grammarSeg, referenceSeg] = await Promise.all([grammarJob.end(), referenceJob.end()]);
        return interpret(
          grammarSeg,
          referenceSeg,
          threshold,
          scale,
          performance.now() - endedAt,
          audioBytes,
          energy.peakDb,
        );
      },
      abort: () => {
        grammarJob.abort();
        referenceJob.abort();
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pendingLanguage = null;
    await this.loading?.catch(() => {});
    const current = this.current;
    this.current = null;
    if (current) await this.retire(current);
  }
}

/**
 * Adds a -60 dBFS noise floor, like the self-noise of any real microphone. Digital silence (synthetic speech,
 * a muted or virtual source) gives the front end log(0) energies that throw off its cepstral mean and cost a
 * quarter of the synthetic test commands; a floor this low is below every real room.
 */
export class NoiseFloor {
  private seed = 0x2545f491;
  private readonly aligner = new SampleAligner();
  private static readonly AMPLITUDE = 32768 * 10 ** (-60 / 20) * Math.sqrt(3);

  apply(pcm: Buffer): Buffer {
    const input = this.aligner.align(pcm);
    const out = Buffer.alloc(input.length);
    for (let i = 0; i < input.length; i += 2) {
      this.seed = (Math.imul(this.seed, 1664525) + 1013904223) >>> 0;
      const noise = (this.seed / 0x100000000 - 0.5) * 2 * NoiseFloor.AMPLITUDE;
      const value = Math.round(input.readInt16LE(i) + noise);
      out.writeInt16LE(Math.min(32767, Math.max(-32768, value)), i);
    }
    return out;
  }
}

/** See `innerSilence` in interpret(): longer silences inside a command are speech the grammar could not explain. */
const MAX_INNER_SILENCE_FRAMES = 80;

/** Frames of speech below which an utterance is a tap of the key or a click, not a command. */
const MIN_SPEECH_FRAMES = 20;

/**
 * Below this loudness (the loudest 30 ms of the utterance, dBFS) nobody spoke: speech into a microphone peaks
 * around -30 to -10 dBFS, a quiet room sits near -60. The decoders' own voice-activity detection needs a second
 * to learn the noise, too long for push-to-talk.
 */
const SILENCE_DB = -45;

/** Tracks the loudest 30 ms window of an utterance. */
export class PeakEnergy {
  private sum = 0;
  private count = 0;
  private peak = 0;
  private readonly aligner = new SampleAligner();
  private static readonly WINDOW = 480;

  add(pcm: Buffer): void {
    const input = this.aligner.align(pcm);
    for (let i = 0; i < input.length; i += 2) {
      const v = input.readInt16LE(i) / 32768;
      this.sum += v * v;
      if (++this.count === PeakEnergy.WINDOW) {
        this.peak = Math.max(this.peak, this.sum / this.count);
        this.sum = 0;
        this.count = 0;
      }
    }
  }

  /** dBFS of the loudest window so far (-100 for digital silence). */
  get peakDb(): number {
    return this.peak > 0 ? Math.max(-100, 10 * Math.log10(this.peak)) : -100;
  }
}

/**
 * The garbage loop's words: frequent English words that are not command words and do not sound like one
 * (a homophone such as "by" for "buy" would tie with the command word and steal it).
 */
function garbageFor(vocabulary: readonly string[], known: ReadonlySet<string>, cmudict: string): string[] {
  const command = new Set(vocabulary);
  const commandSounds = new Set(
    [...readPronunciations(cmudict, [...known]).values()].flat().map((phones) => phones.replace(/\d/g, '')),
  );
  const prons = readPronunciations(
    cmudict,
    garbageWords.filter((word) => !command.has(word)),
  );
  return [...prons.entries()]
    .filter(([, list]) => !list.some((phones) => commandSounds.has(phones.replace(/\d/g, ''))))
    .map(([word]) => word)
    .sort();
}

function interpret(
  grammarSeg: HypSeg,
  referenceSeg: HypSeg,
  threshold: number,
  scale: number,
  finishMs: number,
  audioBytes: number,
  peakDb: number,
): RecognitionResult {
  const words = cleanRecognizedWords(grammarSeg.words.map((w) => w.word)).filter((w) => w !== '(null)');
  const frames = Math.max(grammarSeg.frames, referenceSeg.frames);
  const silence = peakDb < SILENCE_DB || frames < MIN_SPEECH_FRAMES;
  const grammarPerFrame = grammarSeg.frames > 0 ? grammarSeg.acoustic / grammarSeg.frames : 0;
  const referencePerFrame = referenceSeg.frames > 0 ? referenceSeg.acoustic / referenceSeg.frames : 0;
  // No grammar result means the decoder found no command path at all: as far from a command as it gets.
  const gap = words.length === 0 ? Number.POSITIVE_INFINITY : referencePerFrame - grammarPerFrame;
  // The longest "silence" the grammar decoder put after the first word. Its voice-activity detector keeps at most
  // about 70 frames of a real pause (50 after speech, 20 before it resumes), so a longer one is speech the grammar
  // could only explain as silence: "stop talking about the weather" heard as "stop talking" + silence.
  let innerSilence = 0;
  const spoken = grammarSeg.words.filter((w) => !/^(<.*>|\(NULL\))$/.test(w.word));
  const first = spoken[0]?.startFrame ?? 0;
  for (const w of grammarSeg.words) {
    if (w.word === '<sil>' && w.startFrame > first) innerSilence = Math.max(innerSilence, w.endFrame - w.startFrame);
  }
  const swallowed = innerSilence > MAX_INNER_SILENCE_FRAMES;
  const confidence =
    words.length === 0 || silence
      ? 0
      : swallowed
        ? Math.min(0.1, gapConfidence(gap, threshold, scale))
        : gapConfidence(gap, threshold, scale);
  return {
    words: silence ? [] : words,
    confidence,
    outOfGrammar: !silence && (words.length === 0 || gap > threshold || swallowed),
    silence,
    finishMs: Math.round(finishMs * 10) / 10,
    detail: {
      gapPerFrame: Number.isFinite(gap) ? Math.round(gap * 100) / 100 : 'none',
      heard: words.join(' '),
      reference: cleanRecognizedWords(referenceSeg.words.map((w) => w.word)).join(' '),
      grammarAcoustic: grammarSeg.acoustic,
      grammarFrames: grammarSeg.frames,
      referenceAcoustic: referenceSeg.acoustic,
      referenceFrames: referenceSeg.frames,
      audioMs: Math.round(audioBytes / 32),
      peakDb: Math.round(peakDb * 10) / 10,
      longestSilenceFrames: innerSilence,
    },
  };
}
