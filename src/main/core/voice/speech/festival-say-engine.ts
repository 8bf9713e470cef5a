/**
 * Spoken alerts through `say` (festival on Linux), with the two hazards of say 0.16 closed:
 *
 * - Scheme injection: say writes `(SayText "<text>")` into festival's interpreter unescaped, so a quote in a
 *   headline ends the string and the rest runs as Scheme (which can run shell commands). Here the text is reduced
 *   to plain speakable ASCII and written as a properly escaped Scheme string; the voice name is checked against a
 *   strict pattern; the speed never reaches say's shell-interpolated Audio_Command.
 * - Killing a stranger: say's stop() kills `child.pid + 2`, a guess that can hit any unrelated process. Here
 *   festival runs in its own process group and stop() signals that group: festival, the shell it starts and the
 *   player, all ours, nothing else.
 *
 * say's `export` and `getVoices` do not work on Linux and are not used.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SayPlatformLinux from 'say/platform/linux.js';
import { which } from '../../doctor/which';
import { schemeString, toSpeakableText } from './speakable-text';
import { killOwnGroup, type SpeakHandle, type SpeechEngine } from './speech-engine';

export interface FestivalOptions {
  /** A festival voice function, e.g. `voice_kal_diphone`; anything else is ignored. */
  readonly voice?: string;
  /** Slower (>1) or faster (<1) speech; festival's Duration_Stretch. */
  readonly stretch?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/** say's Linux platform with its speak command rebuilt safely and its stop aimed at our own process group. */
class HardenedFestival extends SayPlatformLinux {
  constructor(private readonly festivalOptions: FestivalOptions) {
    super();
  }

  override buildSpeakCommand(input: { text: string; voice: string | null; speed: number | null }): {
    command: string;
    args: string[];
    pipedData: string;
    options: SpawnOptions;
  } {
    return {
      command: 'festival',
      args: ['--pipe'],
      pipedData: festivalProgram(input.text, this.festivalOptions),
      options: { detached: true, env: { ...process.env, ...(this.festivalOptions.env ?? {}) } },
    };
  }

  override runStopCommand(): void {
    if (this.child) killOwnGroup(this.child);
  }
}

/** The Scheme program festival runs: only our constants and one escaped string literal. */
export function festivalProgram(text: string, options: Pick<FestivalOptions, 'voice' | 'stretch'> = {}): string {
  let program = '';
  if (options.voice && /^voice_[a-z0-9_]{1,40}$/.test(options.voice)) program += `(${options.voice}) `;
  const stretch = options.stretch;
  if (stretch !== undefined && Number.isFinite(stretch) && stretch >= 0.5 && stretch <= 2) {
    program += `(Parameter.set 'Duration_Stretch ${stretch.toFixed(2)}) `;
  }
  program += `(SayText ${schemeString(toSpeakableText(text))})`;
  return program;
}

export class FestivalSayEngine implements SpeechEngine {
  readonly name = 'festival' as const;

  constructor(private readonly options: FestivalOptions = {}) {}

  available(): { ok: boolean; detail: string } {
    if (!which('festival')) return { ok: false, detail: 'festival is not installed (apt-get install festival)' };
    if (!which('aplay'))
      return { ok: false, detail: 'festival needs aplay to play audio (apt-get install alsa-utils)' };
    // Debian's festival package brings no voice (it is only recommended): festival then starts, prints a warning
    // and says nothing, which would look like working speech.
    if (!hasFestivalVoice())
      return {
        ok: false,
        detail: 'festival has no voice installed (apt-get install festvox-kallpc16k, or another festvox voice)',
      };
    return { ok: true, detail: 'festival through say (about half a second to first audio)' };
  }

  speak(text: string): SpeakHandle {
    // One platform object per utterance: say keeps a single `child`, which a second utterance would overwrite.
    const platform = new HardenedFestival(this.options);
    let failure: Error | null = null;
    platform.speak(text, null, null, (error) => {
      // say reports any stderr output as an error while festival may still be speaking; keep it for the reason.
      if (error) failure = error;
    });
    const child = platform.child as ChildProcess;
    const done = new Promise<void>((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(error.code === 'ENOENT' ? 'festival is not installed' : error.message)),
      );
      child.on('close', (code, signal) => {
        if (code === 0 || signal === 'SIGTERM' || signal === 'SIGKILL') resolve();
        else
          reject(new Error(`festival exited with ${signal ?? `code ${code}`}${failure ? `: ${failure.message}` : ''}`));
      });
    });
    return {
      done,
      stop: () => {
        if (platform.child) platform.stop();
        else killOwnGroup(child);
      },
      processGroup: child.pid,
    };
  }
}

/** Folders festival looks for voices in (Debian, Homebrew, a source build). */
const FESTIVAL_VOICE_DIRS = [
  '/usr/share/festival/voices',
  '/usr/local/share/festival/voices',
  '/opt/homebrew/share/festival/voices',
  '/usr/lib/festival/voices',
];

/** True when some `voices/<language>/<voice>` folder exists. */
export function hasFestivalVoice(dirs: readonly string[] = FESTIVAL_VOICE_DIRS): boolean {
  for (const dir of dirs) {
    try {
      for (const language of fs.readdirSync(dir, { withFileTypes: true })) {
        if (!language.isDirectory()) continue;
        const voices = fs.readdirSync(path.join(dir, language.name), { withFileTypes: true });
        if (voices.some((v) => v.isDirectory())) return true;
      }
    } catch {
      // not here
    }
  }
  return false;
}
