import type { SpeechEngineName } from '../../../../shared/domain/voice';
import { EspeakEngine } from './espeak-engine';
import { FestivalSayEngine } from './festival-say-engine';
import { FliteEngine } from './flite-engine';
import type { SpeechEngine } from './speech-engine';
import { SystemSayEngine } from './system-say-engine';

/**
 * The engine for spoken alerts. `auto` prefers the fast voices where installed (espeak-ng and flite reach first
 * audio in about 15 ms here, festival in about half a second), then festival through `say` on Linux, or the
 * system voice through `say` on macOS and Windows. Returns null with the reason when nothing can speak.
 */
export function chooseSpeechEngine(
  preference: 'auto' | SpeechEngineName,
  env?: Readonly<Record<string, string>>,
): { engine: SpeechEngine | null; reason: string | null } {
  const all: Record<SpeechEngineName, () => SpeechEngine> = {
    'espeak-ng': () => new EspeakEngine({ env }),
    flite: () => new FliteEngine({ env }),
    festival: () => new FestivalSayEngine({ env }),
    say: () => (process.platform === 'linux' ? new FestivalSayEngine({ env }) : new SystemSayEngine()),
  };
  const order: SpeechEngineName[] =
    preference === 'auto'
      ? process.platform === 'linux'
        ? ['espeak-ng', 'flite', 'festival']
        : ['say', 'espeak-ng', 'flite']
      : [preference];
  const reasons: string[] = [];
  for (const name of order) {
    const engine = all[name]();
    const available = engine.available();
    if (available.ok) return { engine, reason: null };
    reasons.push(available.detail);
  }
  return { engine: null, reason: `No speech engine: ${reasons.join('; ')}` };
}
