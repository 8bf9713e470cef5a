/**
 * Speech for tests, generated at run time: espeak-ng and festival voices at several speeds, some with noise mixed
 * in by sox. Nothing is recorded or committed. Output is what the recogniser takes: raw signed 16-bit
 * little-endian mono PCM at 16 kHz.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { which } from '../../doctor/which';
import { runTool } from '../run-tool';

export const SAMPLE_RATE = 16_000;

export type SynthVoice =
  | { readonly engine: 'espeak-ng'; readonly voice: string; readonly wpm: number }
  | { readonly engine: 'festival'; readonly voice: string; readonly stretch: number };

export interface SynthOptions {
  /** Pink noise mixed in at this signal-to-noise ratio (dB); none when omitted. */
  readonly snrDb?: number;
  /** Silence before the speech (the trader presses the key, then speaks). Default 150 ms. */
  readonly leadMs?: number;
  /** Silence after the speech. Default 250 ms. */
  readonly tailMs?: number;
}

/** The voices of the generated set: several espeak-ng voices and speeds, and festival's US voice. */
export const testVoices: readonly SynthVoice[] = [
  { engine: 'espeak-ng', voice: 'en-us', wpm: 165 },
  { engine: 'espeak-ng', voice: 'en-us+m3', wpm: 150 },
  { engine: 'espeak-ng', voice: 'en-us+f3', wpm: 175 },
  { engine: 'espeak-ng', voice: 'en+m7', wpm: 160 },
  { engine: 'festival', voice: 'kal_diphone', stretch: 1.0 },
  { engine: 'festival', voice: 'kal_diphone', stretch: 1.15 },
];

export function voiceLabel(voice: SynthVoice): string {
  return voice.engine === 'espeak-ng'
    ? `espeak-ng ${voice.voice} ${voice.wpm}wpm`
    : `festival ${voice.voice} x${voice.stretch}`;
}

/** Which synthesis tools this machine has; tests skip with this message when something is missing. */
export function synthesisAvailability(): { ok: boolean; missing: string[] } {
  const missing = ['espeak-ng', 'sox', 'text2wave'].filter((tool) => which(tool) === null);
  return { ok: missing.length === 0, missing };
}

const RAW = ['-t', 'raw', '-r', String(SAMPLE_RATE), '-e', 'signed-integer', '-b', '16', '-c', '1'];

/** Speaks `text` with `voice` and returns 16 kHz mono PCM (s16le). */
export async function synthesize(text: string, voice: SynthVoice, options: SynthOptions = {}): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swaggy-synth-'));
  try {
    const wav = path.join(dir, 'speech.wav');
    if (voice.engine === 'espeak-ng') {
      // Text on stdin, not argv: a sentence starting with "-" must not read as an option.
      await runTool('espeak-ng', ['-v', voice.voice, '-s', String(voice.wpm), '-w', wav, '--stdin'], {
        input: text,
        timeoutMs: 20_000,
      });
    } else {
      const textFile = path.join(dir, 'text.txt');
      fs.writeFileSync(textFile, text);
      // text2wave reads the file as text (tts_file), never as Scheme; the -eval argument is our constant.
      const stretch = Number(voice.stretch.toFixed(3));
      await runTool(
        'text2wave',
        ['-o', wav, '-eval', `(begin (voice_${voice.voice}) (Parameter.set 'Duration_Stretch ${stretch}))`, textFile],
        { timeoutMs: 30_000 },
      );
    }
    const lead = (options.leadMs ?? 150) / 1000;
    const tail = (options.tailMs ?? 250) / 1000;
    const clean = (
      await runTool('sox', [wav, ...RAW, '-', 'rate', '-v', String(SAMPLE_RATE), 'pad', String(lead), String(tail)], {
        timeoutMs: 20_000,
      })
    ).stdout;
    if (options.snrDb === undefined) return clean;
    return await addNoise(clean, options.snrDb, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Mixes pink noise (made by sox) into the speech at the given SNR; sox does the mixing. */
async function addNoise(speech: Buffer, snrDb: number, dir: string): Promise<Buffer> {
  const seconds = speech.length / 2 / SAMPLE_RATE;
  const noiseFile = path.join(dir, 'noise.raw');
  const speechFile = path.join(dir, 'speech.raw');
  fs.writeFileSync(speechFile, speech);
  // -R: repeatable noise, so every run hears the same set.
  await runTool('sox', ['-R', '-n', ...RAW, noiseFile, 'synth', seconds.toFixed(3), 'pinknoise', 'vol', '0.5']);
  const noise = fs.readFileSync(noiseFile);
  const speechRms = rms(speech);
  const noiseRms = rms(noise);
  if (speechRms === 0 || noiseRms === 0) return speech;
  const gain = speechRms / noiseRms / 10 ** (snrDb / 20);
  const mixed = await runTool('sox', [
    '-m',
    '-v',
    '1',
    ...RAW,
    speechFile,
    '-v',
    gain.toFixed(6),
    ...RAW,
    noiseFile,
    ...RAW,
    '-',
  ]);
  return mixed.stdout;
}

/** RMS of s16le PCM, in sample units. */
export function rms(pcm: Buffer): number {
  const n = Math.floor(pcm.length / 2);
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = pcm.readInt16LE(i * 2);
    sum += v * v;
  }
  return Math.sqrt(sum / n);
}
