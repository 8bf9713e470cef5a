/**
 * The voice subsystem as every part of the app sees it: push-to-talk capture, what the recogniser heard, the
 * read-back of a spoken order waiting for "confirm", and the spoken-alert queue.
 *
 * Units: times are UTC epoch ms (wall clock: voice is about the human at the desk, not market time); durations in
 * ms; prices in dollars as the trader says them (the broker converts to money units once); notional in E4 units
 * (see money.ts).
 */
import { z } from 'zod';

/** How the trader began an utterance: the push-to-talk key (Space) or the voice button. */
export const pttSourceSchema = z.enum(['key', 'button']);
export type PttSource = z.infer<typeof pttSourceSchema>;

/**
 * - `unavailable`: no recorder or no recogniser; `message` says which and how to install it.
 * - `idle`: ready; hold the key or the button to talk.
 * - `starting`: the recorder is starting (140 to 500 ms); speech before `listening` may be lost.
 * - `listening`: audio is flowing; the level meter moves.
 * - `recognising`: the key was released; the decoder is finishing.
 */
export const captureStates = ['unavailable', 'idle', 'starting', 'listening', 'recognising'] as const;
export const captureStateSchema = z.enum(captureStates);
export type CaptureState = z.infer<typeof captureStateSchema>;

export const recorderNames = ['sox', 'rec', 'arecord'] as const;
export const recorderNameSchema = z.enum(recorderNames);
export type RecorderName = z.infer<typeof recorderNameSchema>;

export const speechEngineNames = ['espeak-ng', 'flite', 'festival', 'say'] as const;
export const speechEngineNameSchema = z.enum(speechEngineNames);
export type SpeechEngineName = z.infer<typeof speechEngineNameSchema>;

/** What gets spoken: `quiet` speaks fills, risk warnings and read-backs; `normal` adds decisions; `verbose` all. */
export const verbosities = ['quiet', 'normal', 'verbose'] as const;
export const verbositySchema = z.enum(verbosities);
export type Verbosity = z.infer<typeof verbositySchema>;

/**
 * Kinds of spoken message. Priority: fills, risk warnings and read-backs first; then replies to the trader's
 * questions; then decisions; then information.
 */
export const speechKinds = ['fill', 'risk', 'readback', 'reply', 'decision', 'info'] as const;
export const speechKindSchema = z.enum(speechKinds);
export type SpeechKind = z.infer<typeof speechKindSchema>;

/** The structured order a spoken order command describes (prices in dollars). */
export const spokenOrderSchema = z.object({
  /** The word the trader used: "short" opens a short, "cover" buys one back. */
  verb: z.enum(['buy', 'sell', 'short', 'cover']),
  side: z.enum(['buy', 'sell']),
  qty: z.number().int().positive(),
  symbol: z.string(),
  type: z.enum(['market', 'limit', 'stop']),
  limitPrice: z.number().positive().optional(),
  stopPrice: z.number().positive().optional(),
});
export type SpokenOrder = z.infer<typeof spokenOrderSchema>;

const spokenBase = {
  /** The words as recognised, lower-case ("buy ten shares of apple at market"). */
  spoken: z.string(),
  /** The canonical typed form the router reads ("buy 10 AAPL at market"). */
  canonical: z.string(),
};

/** What a recognised utterance means, before the router or the read-back acts on it. */
export const spokenCommandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('order'), ...spokenBase, order: spokenOrderSchema }),
  z.object({
    kind: z.literal('question'),
    ...spokenBase,
    question: z.enum(['price', 'pattern', 'comprehensive', 'math', 'sentiment', 'knowledge', 'technical']),
    symbol: z.string().optional(),
  }),
  z.object({ kind: z.literal('confirm'), ...spokenBase }),
  z.object({ kind: z.literal('cancel'), ...spokenBase }),
  z.object({
    kind: z.literal('correct'),
    ...spokenBase,
    field: z.enum(['qty', 'limitPrice', 'stopPrice']),
    value: z.number().positive(),
  }),
  z.object({ kind: z.literal('stop_speaking'), ...spokenBase }),
  z.object({ kind: z.literal('repeat'), ...spokenBase }),
]);
export type SpokenCommand = z.infer<typeof spokenCommandSchema>;

/** Why an utterance produced no command. */
export const rejectReasons = [
  /** Nothing but silence or noise. */
  'silence',
  /** Speech that is not a command (the garbage model won, or the words do not parse). */
  'out_of_grammar',
  /** Too short to be a command (a tap of the key). */
  'too_short',
  /** The recorder failed or the device disappeared mid-utterance. */
  'capture_failed',
  /** The recogniser failed or is not installed. */
  'recognizer_failed',
  /** The utterance was abandoned (a new one started, the app closed). */
  'aborted',
] as const;
export const rejectReasonSchema = z.enum(rejectReasons);
export type RejectReason = z.infer<typeof rejectReasonSchema>;

/** The result of one push-to-talk utterance (the onTranscript event, and the answer of voice.pttStop). */
export const transcriptSchema = z.object({
  utteranceId: z.string(),
  /** The recognised words, or '' when nothing was recognised. */
  text: z.string(),
  /** The command, or null when rejected ("I didn't catch that"). */
  command: spokenCommandSchema.nullable(),
  rejected: rejectReasonSchema.nullable(),
  /** What the voice bar shows: the canonical form, or why nothing happened. */
  message: z.string(),
  /** The recogniser's confidence in [0, 1]; below the threshold the utterance is rejected. */
  confidence: z.number().min(0).max(1),
  /** Audio captured, in ms. */
  audioMs: z.number().nonnegative(),
  /** From key release to the command, in ms. */
  releaseToResultMs: z.number().nonnegative(),
  recognizer: z.string(),
  /** Wall-clock time of the key release, UTC epoch ms. */
  at: z.number().int(),
});
export type Transcript = z.infer<typeof transcriptSchema>;

/** A spoken order read back and waiting for "confirm" (spoken or clicked). */
export const pendingVoiceOrderSchema = z.object({
  id: z.string(),
  order: spokenOrderSchema,
  /** "Buy 10 Apple at market, about 1,920 dollars. Say confirm or cancel." */
  readBack: z.string(),
  /** Estimated notional in E4 units, from the last price or the limit; null when no price is known. */
  notionalE4: z.number().int().nullable(),
  /** Sanity warnings (limit far from the day's range, rule warnings) read out before "say confirm". */
  warnings: z.array(z.string()),
  /** When it is dropped unless confirmed, UTC epoch ms. */
  expiresAt: z.number().int(),
});
export type PendingVoiceOrder = z.infer<typeof pendingVoiceOrderSchema>;

/** One spoken message's life (the onSpeech event). */
export const speechEventSchema = z.object({
  id: z.string(),
  text: z.string(),
  kind: speechKindSchema,
  /**
   * - `queued`, `speaking`, `done`: the normal path.
   * - `dropped`: superseded by a newer message on the same subject, stale, below the verbosity, or muted.
   * - `interrupted`: push-to-talk or stop cut it short.
   * - `text_only`: no speech engine; shown, not spoken (`reason` says why).
   * - `failed`: the engine failed (`reason` says how).
   */
  state: z.enum(['queued', 'speaking', 'done', 'dropped', 'interrupted', 'text_only', 'failed']),
  reason: z.string().optional(),
  engine: speechEngineNameSchema.nullable(),
  at: z.number().int(),
});
export type SpeechEvent = z.infer<typeof speechEventSchema>;

/** The input level while the key is held (the onVoiceLevel event), about 20 times a second. */
export const voiceLevelSchema = z.object({
  utteranceId: z.string(),
  /** RMS level in dBFS (-100 for silence, 0 for full scale). */
  rmsDb: z.number(),
  /** Peak level in dBFS. */
  peakDb: z.number(),
  /** The same, mapped to 0..1 for a meter. */
  level: z.number().min(0).max(1),
  /** Audio captured so far, ms. */
  elapsedMs: z.number().nonnegative(),
});
export type VoiceLevel = z.infer<typeof voiceLevelSchema>;

export const voiceComponentSchema = z.object({
  /** The tool in use (`sox`, `pocketsphinx`, `espeak-ng`…), or null when none is available. */
  name: z.string().nullable(),
  available: z.boolean(),
  /** One line for the voice bar and `doctor`: what is used, or what is missing and how to fix it. */
  detail: z.string(),
});
export type VoiceComponent = z.infer<typeof voiceComponentSchema>;

/** Everything the voice bar shows (voice.status and the onVoiceState event). */
export const voiceStatusSchema = z.object({
  capture: captureStateSchema,
  /** The last problem or hint for the voice bar ("The microphone disappeared mid-utterance"), or null. */
  message: z.string().nullable(),
  recorder: voiceComponentSchema.extend({ device: z.string().nullable() }),
  recognizer: voiceComponentSchema,
  speech: voiceComponentSchema.extend({
    muted: z.boolean(),
    verbosity: verbositySchema,
    speaking: z.boolean(),
    queued: z.number().int().nonnegative(),
  }),
  pending: pendingVoiceOrderSchema.nullable(),
});
export type VoiceStatus = z.infer<typeof voiceStatusSchema>;

/** An input device a recorder can open. */
export const voiceDeviceSchema = z.object({
  /** What to store in the `voice.inputDevice` setting. */
  id: z.string(),
  label: z.string(),
  recorder: recorderNameSchema,
});
export type VoiceDevice = z.infer<typeof voiceDeviceSchema>;

/**
 * Voice settings (the lead registers these keys in settings.ts with these defaults).
 */
export const voiceSettingsSchema = z.object({
  /** Which recorder to use; `auto` picks sox, then rec, then arecord. */
  'voice.recorder': z.enum(['auto', ...recorderNames]).default('auto'),
  /** Input device (a PulseAudio source name, an ALSA device such as `hw:1,0`), or null for the default. */
  'voice.inputDevice': z.string().max(200).nullable().default(null),
  /** Which engine speaks alerts; `auto` prefers the fast engines (espeak-ng, flite) then festival via `say`. */
  'voice.engine': z.enum(['auto', ...speechEngineNames]).default('auto'),
  'voice.muted': z.boolean().default(false),
  'voice.verbosity': verbositySchema.default('normal'),
  /** Longest utterance: capture stops by itself after this, so a stuck key cannot record forever. */
  'voice.maxUtteranceMs': z.number().int().min(1000).max(60_000).default(10_000),
  /** How long a read-back waits for "confirm" before the order is dropped. */
  'voice.confirmTimeoutMs': z.number().int().min(3000).max(120_000).default(15_000),
  /** Largest quantity a spoken order may have without being refused. */
  'voice.maxOrderQty': z.number().int().positive().default(10_000),
  /** Largest notional a spoken order may have, in US cents. */
  'voice.maxOrderNotionalCents': z.number().int().positive().default(100_000_000),
  /** A limit or stop this far outside the day's range (percent of the range's midpoint) gets a warning. */
  'voice.priceBandPct': z.number().positive().max(100).default(10),
});
export type VoiceSettings = z.output<typeof voiceSettingsSchema>;

/** The defaults, for hosts that have no settings store (the CLI bench, tests). */
export const defaultVoiceSettings: VoiceSettings = voiceSettingsSchema.parse({});
