/**
 * Push-to-talk capture with node-record-lpcm16 (sox, rec or arecord), with its known quirks handled:
 *
 * - With the sox and rec recorders, `device` only sets AUDIODEV, which selects nothing unless AUDIODRIVER says
 *   which driver the name belongs to (rec ignores `device` entirely). We set both, for the spawn only.
 * - A recorder that exits non-zero (arecord always does when stopped; any recorder whose device vanished) is
 *   reported by the library as an `error` event on its stream, which crashes the process when nobody listens.
 *   We always listen, and tell "we stopped it" from "it died".
 * - A recorder that is not installed fails the spawn with an `error` event on the child process, which the
 *   library does not handle either; we check PATH first and listen anyway.
 * - A recorder takes 140 to 190 ms to start (rec over 500 ms); speech in that window is lost. The state stays
 *   `starting` until the first audio arrives, so the voice bar can say when to speak.
 */
import recorder from 'node-record-lpcm16';
import type { RecorderName, VoiceLevel } from '../../../../shared/domain/voice';
import { AppError } from '../../../../shared/result';
import { which } from '../../doctor/which';
import { SampleAligner } from '../sample-aligner';

type LibRecording = ReturnType<typeof recorder.record>;

export const RECORDER_ORDER: readonly RecorderName[] = ['sox', 'rec', 'arecord'];

export interface RecorderChoice {
  readonly name: RecorderName;
  readonly path: string;
}

/** The recorder to use: the preferred one if installed, else the first installed of sox, rec, arecord. */
export function chooseRecorder(
  preference: 'auto' | RecorderName,
  env: NodeJS.ProcessEnv = process.env,
): RecorderChoice | null {
  const order = preference === 'auto' ? RECORDER_ORDER : [preference];
  for (const name of order) {
    const found = which(name, env);
    if (found) return { name, path: found };
  }
  return null;
}

/** What to tell the trader when no recorder is installed. */
export function noRecorderMessage(preference: 'auto' | RecorderName): string {
  return preference === 'auto'
    ? 'No audio recorder is installed: voice needs sox (apt-get install sox libsox-fmt-all) or arecord (alsa-utils). Typing works as usual.'
    : `The recorder chosen in settings (${preference}) is not installed. Install it or set the recorder to auto.`;
}

/** The AUDIODRIVER a device name belongs to: ALSA names (`hw:1,0`, `plughw:…`, `default`) or PulseAudio sources. */
export function driverForDevice(device: string): 'alsa' | 'pulseaudio' {
  return /^(plug)?hw:|^(default|sysdefault|front|dsnoop)(:|$)/.test(device) ? 'alsa' : 'pulseaudio';
}

export interface CaptureOptions {
  readonly recorder: RecorderChoice;
  /** Input device, or null for the system default. */
  readonly device: string | null;
  readonly sampleRateHz: number;
  /** Capture stops by itself after this long (a stuck key must not record forever). */
  readonly maxUtteranceMs: number;
  /** Extra environment for the recorder (tests point it at their own PulseAudio with PULSE_SERVER). */
  readonly env?: Readonly<Record<string, string>>;
  /** Audio as it arrives (s16le mono). */
  readonly onData: (pcm: Buffer) => void;
  /** The first audio arrived: the trader can speak now. */
  readonly onListening?: () => void;
  /** Level meter updates, about every 50 ms. */
  readonly onLevel?: (level: Omit<VoiceLevel, 'utteranceId'>) => void;
  /** The maximum length was reached; the caller should end the utterance as if the key were released. */
  readonly onMaxLength?: () => void;
  /** The recorder died while capturing (device gone, driver error). */
  readonly onFailure?: (message: string) => void;
  readonly now?: () => number;
}

export interface CaptureEnd {
  readonly reason: 'released' | 'max_length' | 'failed';
  readonly audioMs: number;
  /** Milliseconds from start to the first audio (the recorder's start-up). */
  readonly startupMs: number | null;
  readonly error?: string;
}

export interface CaptureHandle {
  /** Ends capture; resolves when the recorder has flushed its last audio and exited. */
  stop(): Promise<CaptureEnd>;
  /** Ends capture now, dropping what is still buffered. */
  abort(): void;
}

const METER_INTERVAL_MS = 50;
const STOP_FLUSH_TIMEOUT_MS = 400;

/** Starts recording. Throws `UNAVAILABLE` when the recorder cannot be started at all. */
export function startCapture(options: CaptureOptions): CaptureHandle {
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  const bytesPerMs = (options.sampleRateHz * 2) / 1000;
  const extraEnv: Record<string, string> = { ...(options.env ?? {}) };
  const libOptions: Record<string, unknown> = {
    sampleRate: options.sampleRateHz,
    channels: 1,
    recorder: options.recorder.name,
    audioType: 'raw',
  };
  if (options.recorder.name === 'arecord') {
    // arecord opens ALSA devices; a PulseAudio source is reached through ALSA's pulse plugin.
    if (options.device && driverForDevice(options.device) === 'pulseaudio') {
      libOptions.device = 'pulse';
      extraEnv.PULSE_SOURCE = options.device;
    } else if (options.device) libOptions.device = options.device;
  } else {
    // sox/rec read small buffers from SOX_OPTS: 32 ms chunks instead of 256 ms keep the meter and the end fresh.
    extraEnv.SOX_OPTS = [extraEnv.SOX_OPTS, '--buffer 1024'].filter(Boolean).join(' ');
    if (options.device) {
      extraEnv.AUDIODEV = options.device;
      extraEnv.AUDIODRIVER ??= driverForDevice(options.device);
    }
  }

  let recording: LibRecording;
  try {
    recording = withEnv(extraEnv, () => recorder.record(libOptions));
  } catch (error) {
    throw new AppError('UNAVAILABLE', `Could not start ${options.recorder.name}: ${(error as Error).message}`);
  }

  const stream = recording.stream();
  const child = recording.process;
  let stderr = '';
  let bytes = 0;
  let firstAudioAt: number | null = null;
  let stopping = false;
  let finished = false;
  let failure: string | null = null;
  let endReason: CaptureEnd['reason'] = 'released';
  let meterSum = 0;
  let meterPeak = 0;
  let meterCount = 0;
  let meterLastAt = startedAt;
  const aligner = new SampleAligner();
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });

  const fail = (message: string) => {
    if (stopping || finished || failure) return;
    failure = message;
    endReason = 'failed';
    options.onFailure?.(message);
  };

  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString('utf8');
  });
  child.on('error', (error: NodeJS.ErrnoException) => {
    fail(
      error.code === 'ENOENT'
        ? `${options.recorder.name} is not installed`
        : `${options.recorder.name} failed: ${error.message}`,
    );
    resolveClosed();
  });
  // The library re-emits a non-zero exit as an 'error' on the stream: expected after our stop (arecord exits 1).
  stream.on('error', () => {
    if (!stopping) fail(describeExit(options.recorder.name, child.exitCode, stderr, firstAudioAt !== null));
  });
  child.on('close', (code, signal) => {
    if (!stopping && !finished) {
      fail(describeExit(options.recorder.name, code ?? (signal ? -1 : 0), stderr, firstAudioAt !== null));
    }
    resolveClosed();
  });

  stream.on('data', (chunk: Buffer | string) => {
    if (finished) return;
    const pcm = aligner.align(typeof chunk === 'string' ? Buffer.from(chunk, 'binary') : chunk);
    if (pcm.length === 0) return;
    if (firstAudioAt === null) {
      firstAudioAt = now();
      options.onListening?.();
    }
    bytes += pcm.length;
    options.onData(pcm);
    for (let i = 0; i + 1 < pcm.length; i += 2) {
      const v = pcm.readInt16LE(i) / 32768;
      meterSum += v * v;
      const a = Math.abs(v);
      if (a > meterPeak) meterPeak = a;
      meterCount++;
    }
    const t = now();
    if (options.onLevel && t - meterLastAt >= METER_INTERVAL_MS && meterCount > 0) {
      options.onLevel(levelOf(meterSum / meterCount, meterPeak, bytes / bytesPerMs));
      meterSum = 0;
      meterPeak = 0;
      meterCount = 0;
      meterLastAt = t;
    }
  });

  const maxTimer = setTimeout(() => {
    if (stopping || finished) return;
    endReason = 'max_length';
    options.onMaxLength?.();
  }, options.maxUtteranceMs);

  const end = (): CaptureEnd => ({
    reason: endReason,
    audioMs: Math.round(bytes / bytesPerMs),
    startupMs: firstAudioAt === null ? null : Math.round(firstAudioAt - startedAt),
    ...(failure ? { error: failure } : {}),
  });

  return {
    async stop() {
      clearTimeout(maxTimer);
      if (!stopping && !failure) {
        stopping = true;
        // Only our own child: the library's stop() kills the process it spawned, nothing else.
        if (child.exitCode === null && child.signalCode === null) recording.stop();
      }
      stopping = true;
      await Promise.race([closed, new Promise((r) => setTimeout(r, STOP_FLUSH_TIMEOUT_MS))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      finished = true;
      return end();
    },
    abort() {
      clearTimeout(maxTimer);
      stopping = true;
      finished = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

function describeExit(name: string, code: number | null, stderr: string, hadAudio: boolean): string {
  const detail = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-2)
    .join(' ');
  const base = hadAudio
    ? `The microphone stopped in the middle of the utterance (${name} exited${code !== null ? ` with code ${code}` : ''}); was the input device unplugged?`
    : `${name} could not open the input device${code !== null ? ` (exit code ${code})` : ''}; check the device in settings.`;
  return detail ? `${base} ${name} said: ${detail.slice(0, 240)}` : base;
}

/** A mean square and peak (full scale 1) as dBFS and a 0..1 meter position (-60 dBFS and below is 0). */
export function levelOf(meanSquare: number, peak: number, elapsedMs: number): Omit<VoiceLevel, 'utteranceId'> {
  const toDb = (x: number) => (x > 0 ? Math.max(-100, 20 * Math.log10(x)) : -100);
  const rmsDb = Math.round(toDb(Math.sqrt(meanSquare)) * 10) / 10;
  const peakDb = Math.round(toDb(peak) * 10) / 10;
  const level = Math.min(1, Math.max(0, (rmsDb + 60) / 60));
  return { rmsDb, peakDb, level: Math.round(level * 1000) / 1000, elapsedMs: Math.round(elapsedMs) };
}

/**
 * Runs `fn` with extra variables in process.env and restores them before returning. The library builds the
 * recorder's environment from process.env synchronously inside `record()`, so nothing else ever sees them.
 */
function withEnv<T>(extra: Readonly<Record<string, string>>, fn: () => T): T {
  const saved = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(extra)) {
    saved.set(key, process.env[key]);
    process.env[key] = value;
  }
  try {
    return fn();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
