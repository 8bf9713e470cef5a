import type { z } from 'zod';
import type { voiceMethods } from '../../../shared/contract/voice';
import type { CallContext } from '../handlers';
import type { VoiceService } from './voice-service';

type VoiceMethods = typeof voiceMethods;
type VoiceHandler<M extends keyof VoiceMethods> = (
  args: z.output<VoiceMethods[M]['input']>,
  ctx: CallContext,
) => z.output<VoiceMethods[M]['output']> | Promise<z.output<VoiceMethods[M]['output']>>;

/** The voice slice of the handler map: spread it into the engine's handlers once `voiceMethods` is in the contract. */
export function voiceHandlers(voice: VoiceService): { [M in keyof VoiceMethods]: VoiceHandler<M> } {
  return {
    'voice.status': () => voice.status(),
    'voice.pttStart': ({ source }) => voice.pttStart(source),
    'voice.pttStop': () => voice.pttStop(),
    'voice.confirm': (args) => voice.confirm(args?.id),
    'voice.cancel': (args) => voice.cancel(args?.id),
    'voice.say': ({ text, kind, key }) => voice.say(text, kind, key),
    'voice.stopSpeaking': () => {
      voice.stopSpeaking();
      return voice.status();
    },
    'voice.setMuted': ({ muted }) => voice.setMuted(muted),
    'voice.setVerbosity': ({ verbosity }) => voice.setVerbosity(verbosity),
    'voice.devices': () => voice.devices(),
  };
}
