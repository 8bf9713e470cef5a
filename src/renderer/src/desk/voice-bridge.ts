/**
 * The desk's one use of the voice API so far: "say again" on an alert. The voice methods are not part of the API
 * contract on every build (the desk must work without them), so they are looked up at run time: with no `voice`
 * domain, there is no button.
 */
import type { Alert } from '../../../shared/domain/decision';
import type { Result } from '../../../shared/result';
import { api } from '../api';

type SpeechKind = 'fill' | 'risk' | 'decision' | 'info';
type Say = (input: { text: string; kind: SpeechKind; key?: string }) => Promise<Result<unknown>>;

function voiceSay(): Say | null {
  if (!('voice' in api)) return null;
  const voice = (api as unknown as { voice?: { say?: unknown } }).voice;
  return typeof voice?.say === 'function' ? (voice.say as Say) : null;
}

/** Speaks an alert again, or null when this build has no voice API. */
export function sayAgainAction(): ((alert: Pick<Alert, 'id' | 'text' | 'priority'>) => Promise<string | null>) | null {
  const say = voiceSay();
  if (!say) return null;
  return async (alert) => {
    const result = await say({ text: alert.text, kind: alert.priority, key: `again:${alert.id}` });
    return result.ok ? null : result.error.message;
  };
}
