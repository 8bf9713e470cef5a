/**
 * The virtual microphone for tests and the bench: a private PulseAudio daemon (its own runtime folder and socket,
 * so it never touches a desktop's sound server) with a null sink. What we play into the sink comes out of its
 * monitor, re-exposed as an ordinary capture source; the recorder records from that source exactly as from a
 * microphone. Works headless, as root, without a sound card.
 *
 * Hazard: without `norewinds=1` on the null sink, the monitor delivered only about 0.3 s of a 2 s utterance here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { which } from '../../doctor/which';
import { runTool } from '../run-tool';

export const VIRTUAL_SINK = 'swaggy_vmic';
export const VIRTUAL_SOURCE = 'swaggy_mic';

export interface VirtualMic {
  /** Environment for every client of this daemon (recorders, players): PULSE_SERVER and friends. */
  readonly env: Readonly<Record<string, string>>;
  /** The capture source to record from (a remap of the sink's monitor). */
  readonly source: string;
  /** The sink's raw monitor, also recordable. */
  readonly monitor: string;
  readonly sink: string;
  /** Plays 16 kHz mono s16le PCM into the sink in real time; resolves when it has been played. */
  play(pcm: Buffer, sampleRateHz?: number): Promise<void>;
  /** Records the monitor until `stop`; `firstSoundMs` resolves with the time (performance.now) sound first arrives. */
  listen(thresholdDb?: number): { firstSound: Promise<number>; stop(): Promise<Buffer> };
  /** Stops the daemon (ours only) and removes its folder. */
  close(): Promise<void>;
}

/** Which tools the harness needs and lacks; tests skip with this list. */
export function virtualMicAvailability(): { ok: boolean; missing: string[] } {
  const missing = ['pulseaudio', 'pactl', 'pacat', 'parec'].filter((tool) => which(tool) === null);
  return { ok: missing.length === 0, missing };
}

/** Starts the private daemon with the null sink and the remapped source. */
export async function startVirtualMic(): Promise<VirtualMic> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swaggy-pulse-'));
  const runtime = path.join(dir, 'runtime');
  for (const sub of ['runtime', 'state', 'config', 'home']) fs.mkdirSync(path.join(dir, sub), { mode: 0o700 });
  const socket = path.join(runtime, 'native');
  const env: Record<string, string> = {
    PULSE_SERVER: `unix:${socket}`,
    PULSE_RUNTIME_PATH: runtime,
    PULSE_STATE_PATH: path.join(dir, 'state'),
    PULSE_COOKIE: path.join(dir, 'cookie'),
  };
  const daemonEnv = {
    ...process.env,
    ...env,
    HOME: path.join(dir, 'home'),
    XDG_RUNTIME_DIR: runtime,
    XDG_CONFIG_HOME: path.join(dir, 'config'),
  };
  const daemon: ChildProcess = spawn(
    'pulseaudio',
    [
      '--daemonize=no',
      '--exit-idle-time=-1',
      '-n', // no default.pa: only what we load
      '--system=false',
      '--use-pid-file=false',
      '--disable-shm=yes',
      '--log-target=stderr',
      '--log-level=error',
      `--load=module-native-protocol-unix socket=${socket} auth-anonymous=1`,
      `--load=module-null-sink sink_name=${VIRTUAL_SINK} norewinds=1 rate=16000 channels=1 format=s16le`,
      `--load=module-remap-source master=${VIRTUAL_SINK}.monitor source_name=${VIRTUAL_SOURCE} channels=1`,
    ],
    { env: daemonEnv, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let daemonLog = '';
  daemon.stderr?.on('data', (chunk: Buffer) => {
    if (daemonLog.length < 4000) daemonLog += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  daemon.on('error', () => {});

  const clientEnv = { ...process.env, ...env };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const info = await runTool('pactl', ['info'], { env: clientEnv, allowFailure: true, timeoutMs: 3000 }).catch(
      () => null,
    );
    if (info && info.code === 0) break;
    if (daemon.exitCode !== null || Date.now() > deadline) {
      if (daemon.exitCode === null) daemon.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`The test PulseAudio daemon did not start: ${daemonLog.trim().slice(0, 400)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const players = new Set<ChildProcess>();
  return {
    env,
    source: VIRTUAL_SOURCE,
    monitor: `${VIRTUAL_SINK}.monitor`,
    sink: VIRTUAL_SINK,
    play(pcm, sampleRateHz = 16_000) {
      return new Promise((resolve, reject) => {
        const player = spawn(
          'pacat',
          [
            '--playback',
            '--raw',
            '--format=s16le',
            `--rate=${sampleRateHz}`,
            '--channels=1',
            `--device=${VIRTUAL_SINK}`,
            // A roomy buffer: a player that underruns under CPU load puts gaps into the "speech".
            '--latency-msec=250',
          ],
          { env: clientEnv, stdio: ['pipe', 'ignore', 'pipe'] },
        );
        players.add(player);
        let err = '';
        player.stderr?.on('data', (c: Buffer) => {
          err += c.toString('utf8');
        });
        player.on('error', reject);
        player.on('close', (code) => {
          players.delete(player);
          if (code === 0) resolve();
          else reject(new Error(`pacat exited with ${code}: ${err.trim()}`));
        });
        player.stdin?.on('error', () => {});
        player.stdin?.end(pcm);
      });
    },
    listen(thresholdDb = -45) {
      const threshold = 32768 * 10 ** (thresholdDb / 20);
      const recorder = spawn(
        'parec',
        [
          '--raw',
          '--format=s16le',
          '--rate=16000',
          '--channels=1',
          `--device=${VIRTUAL_SINK}.monitor`,
          '--latency-msec=5',
        ],
        { env: clientEnv, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      players.add(recorder);
      const chunks: Buffer[] = [];
      let resolveFirst!: (t: number) => void;
      const firstSound = new Promise<number>((resolve) => {
        resolveFirst = resolve;
      });
      let heard = false;
      recorder.stdout?.on('data', (chunk: Buffer) => {
        const at = performance.now();
        chunks.push(chunk);
        if (heard) return;
        for (let i = 0; i + 1 < chunk.length; i += 2) {
          if (Math.abs(chunk.readInt16LE(i)) > threshold) {
            heard = true;
            // The sample's own time: this chunk ends now, the loud sample is (remaining samples / rate) earlier.
            resolveFirst(at - ((chunk.length - i) / 2 / 16_000) * 1000);
            break;
          }
        }
      });
      const closed = new Promise<void>((resolve) => recorder.once('close', () => resolve()));
      return {
        firstSound,
        async stop() {
          recorder.kill('SIGTERM');
          await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
          players.delete(recorder);
          return Buffer.concat(chunks);
        },
      };
    },
    async close() {
      for (const child of players) child.kill('SIGKILL');
      if (daemon.exitCode === null) daemon.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (daemon.exitCode === null) daemon.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
