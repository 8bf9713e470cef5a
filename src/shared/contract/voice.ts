import { z } from 'zod';
import {
  pttSourceSchema,
  speechEventSchema,
  speechKindSchema,
  transcriptSchema,
  verbositySchema,
  voiceDeviceSchema,
  voiceLevelSchema,
  voiceStatusSchema,
} from '../domain/voice';
import { event, method, noInput } from './define';

/**
 * Voice: push-to-talk, the read-back of spoken orders, and spoken alerts. Spoken orders are never placed without
 * `voice.confirm` (or the spoken "confirm") while their read-back is pending.
 */
export const voiceMethods = {
  'voice.status': method({
    summary: 'Capture state, recorder, recogniser and speech engine (each with what is missing), pending order.',
    input: noInput,
    output: voiceStatusSchema,
  }),
  'voice.pttStart': method({
    summary: 'Push-to-talk pressed (Space or the voice button): starts capturing; UNAVAILABLE says why it cannot.',
    input: z.object({ source: pttSourceSchema.default('button') }).strict(),
    output: z.object({ utteranceId: z.string() }),
  }),
  'voice.pttStop': method({
    summary: 'Push-to-talk released: ends the utterance and returns what was recognised (also sent as onTranscript).',
    input: noInput,
    output: transcriptSchema,
  }),
  'voice.confirm': method({
    summary:
      'Places the spoken order waiting for confirmation (the confirm button); `id` guards against a stale click.',
    input: z
      .object({ id: z.string().max(64).optional() })
      .strict()
      .optional(),
    output: z.object({ placed: z.boolean(), orderId: z.string().nullable(), message: z.string() }),
  }),
  'voice.cancel': method({
    summary: 'Drops the spoken order waiting for confirmation; nothing is placed.',
    input: z
      .object({ id: z.string().max(64).optional() })
      .strict()
      .optional(),
    output: z.object({ cancelled: z.boolean(), message: z.string() }),
  }),
  'voice.say': method({
    summary: 'Queues a spoken message (alert, decision, reply); muted or without an engine it stays text.',
    input: z
      .object({
        text: z.string().trim().min(1).max(2000),
        kind: speechKindSchema.default('info'),
        /** Subject for coalescing: a newer message with the same key replaces a waiting one. */
        key: z.string().max(100).optional(),
      })
      .strict(),
    output: speechEventSchema,
  }),
  'voice.stopSpeaking': method({
    summary: 'Stops the current spoken message and drops the waiting ones.',
    input: noInput,
    output: voiceStatusSchema,
  }),
  'voice.setMuted': method({
    summary: 'Mutes or unmutes spoken alerts (they still appear as text).',
    input: z.object({ muted: z.boolean() }).strict(),
    output: voiceStatusSchema,
  }),
  'voice.setVerbosity': method({
    summary: 'quiet: fills, risk and read-backs; normal: also decisions; verbose: everything.',
    input: z.object({ verbosity: verbositySchema }).strict(),
    output: voiceStatusSchema,
  }),
  'voice.devices': method({
    summary: 'Input devices the recorders can open, for the input-device setting.',
    input: noInput,
    output: z.array(voiceDeviceSchema),
  }),
} as const;

export const voiceEvents = {
  onVoiceLevel: event({
    summary: 'The input level while push-to-talk is held (about 20 per second), for the level meter.',
    payload: voiceLevelSchema,
  }),
  onVoiceState: event({
    summary: 'Voice status changed: capture state, a problem to show in the voice bar, the pending order.',
    payload: voiceStatusSchema,
  }),
  onTranscript: event({
    summary: 'An utterance ended: the recognised words, the canonical command or why nothing happened.',
    payload: transcriptSchema,
  }),
  onSpeech: event({
    summary: 'A spoken message was queued, started, finished, dropped, interrupted or kept as text.',
    payload: speechEventSchema,
  }),
} as const;
