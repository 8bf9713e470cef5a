/**
 * A warm `pocketsphinx_batch` process fed through named pipes, so each utterance streams into an already loaded
 * decoder and pays no start-up.
 *
 * Why batch and not `pocketsphinx_continuous`: batch reads its control file line by line, so a FIFO as `-ctl` turns
 * it into a server (one line per utterance); each line names our audio FIFO, which it decodes as a stream until we
 * close it (the key release), so our push-to-talk decides where an utterance ends instead of a voice-activity
 * detector; and it writes each result with its scores (`-hypseg`), which the out-of-grammar check needs.
 *
 * Hazard: a Node child's stdin is a socket, and opening /dev/stdin on a socket fails, so nothing here goes through
 * stdio; every stream is a FIFO we create in a private folder.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { AppError } from '../../../../shared/result';

/** One word of a result: frames are 10 ms; scores are PocketSphinx's scaled log values (higher is better). */
export interface HypSegWord {
  readonly word: string;
  readonly startFrame: number;
  readonly endFrame: number;
  readonly acoustic: number;
  readonly lm: number;
}

/** One `-hypseg` line. */
export interface HypSeg {
  readonly uttId: string;
  readonly total: number;
  readonly acoustic: number;
  readonly lm: number;
  readonly words: readonly HypSegWord[];
  /** Frames of speech the decoder saw (silence removed by its voice-activity detector). */
  readonly frames: number;
}

/** Parses `uttid S 0 T -10165 A -9491 L -674 sf ascr lscr word … ef`. */
export function parseHypSeg(line: string): HypSeg | null {
  const p = line.trim().split(/\s+/);
  if (p.length < 9 || p[1] !== 'S' || p[3] !== 'T' || p[5] !== 'A' || p[7] !== 'L') return null;
  const total = Number(p[4]);
  const acoustic = Number(p[6]);
  const lm = Number(p[8]);
  const raw: { word: string; startFrame: number; acoustic: number; lm: number }[] = [];
  let k = 9;
  while (k + 3 < p.length) {
    raw.push({ startFrame: Number(p[k]), acoustic: Number(p[k + 1]), lm: Number(p[k + 2]), word: p[k + 3] as string });
    k += 4;
  }
  const last = Number(p[p.length - 1]);
  const frames = raw.length > 0 && Number.isFinite(last) ? last : 0;
  const words = raw.map((w, i) => ({ ...w, endFrame: raw[i + 1]?.startFrame ?? frames }));
  if (![total, acoustic, lm].every(Number.isFinite)) return null;
  return { uttId: p[0] as string, total, acoustic, lm, words, frames };
}

export interface BatchDecoderOptions {
  /** Label for messages: "grammar decoder". */
  readonly name: string;
  readonly binary: string;
  /** Decoder arguments (model, dictionary, search); the pipes are added here. */
  readonly args: readonly string[];
  /** A private folder for the pipes; created if missing. */
  readonly workDir: string;
  /** A result must arrive this long after the audio ends, or the decoder is considered stuck. */
  readonly resultTimeoutMs?: number;
  readonly onExit?: (detail: string) => void;
}

/** One utterance streaming into the decoder. */
export interface DecodeHandle {
  write(pcm: Buffer): void;
  /** Closes the audio; resolves with the result. */
  end(): Promise<HypSeg>;
  abort(): void;
}

interface Job {
  readonly id: string;
  readonly chunks: Buffer[];
  ended: boolean;
  aborted: boolean;
  socket: net.Socket | null;
  resolve: (seg: HypSeg) => void;
  reject: (e: unknown) => void;
  readonly promise: Promise<HypSeg>;
  timer: NodeJS.Timeout | null;
}

const OPEN_WRITER_TIMEOUT_MS = 3000;

export class BatchDecoder {
  private child: ChildProcess | null = null;
  private ctl: net.Socket | null = null;
  private results: net.Socket | null = null;
  private readonly queue: Job[] = [];
  private active: Job | null = null;
  private buffer = '';
  private stderrTail: string[] = [];
  private closed = false;
  private exitDetail: string | null = null;
  private counter = 0;
  private readonly audioName = 'audio';

  constructor(private readonly options: BatchDecoderOptions) {}

  /** Starts the process and decodes a short silence to make sure it is loaded and answering. */
  async start(): Promise<void> {
    const dir = this.options.workDir;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const ctlPath = path.join(dir, 'ctl.fifo');
    const segPath = path.join(dir, 'hypseg.fifo');
    const audioPath = path.join(dir, `${this.audioName}.raw`);
    for (const fifo of [ctlPath, segPath, audioPath]) makeFifo(fifo);

    // Opened read-write so neither side ever sees a premature end-of-file or blocks on open.
    const ctlFd = fs.openSync(ctlPath, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
    const segFd = fs.openSync(segPath, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
    this.ctl = new net.Socket({ fd: ctlFd, readable: false, writable: true });
    this.results = new net.Socket({ fd: segFd, readable: true, writable: false });
    this.ctl.on('error', () => {});
    this.results.on('error', () => {});
    this.results.setEncoding('utf8');
    this.results.on('data', (text: string) => this.onResultText(text));

    const args = [
      ...this.options.args,
      '-ctl',
      ctlPath,
      '-cepdir',
      dir,
      '-cepext',
      '.raw',
      '-adcin',
      'yes',
      '-hypseg',
      segPath,
    ];
    const child = spawn(this.options.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        this.stderrTail.push(line);
        if (this.stderrTail.length > 40) this.stderrTail.shift();
      }
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      this.fail(
        error.code === 'ENOENT'
          ? `${this.options.binary} is not installed`
          : `${this.options.name} failed to start: ${error.message}`,
      );
    });
    child.on('exit', (code, signal) => {
      const why = this.closed
        ? 'closed'
        : `${this.options.name} exited (${signal ?? `code ${code}`}): ${this.lastErrors() || 'no message'}`;
      this.fail(why);
    });

    const warm = this.decode();
    warm.write(Buffer.alloc(16_000 * 2 * 0.3));
    await warm.end();
  }

  /** Whether the process is running and answering. */
  get running(): boolean {
    return this.child !== null && this.exitDetail === null && !this.closed;
  }

  /** Starts streaming an utterance. Audio written before the decoder is ready is buffered. */
  decode(): DecodeHandle {
    if (this.exitDetail) throw new AppError('UNAVAILABLE', this.exitDetail);
    let resolve!: (seg: HypSeg) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<HypSeg>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {});
    const job: Job = {
      id: `u${++this.counter}`,
      chunks: [],
      ended: false,
      aborted: false,
      socket: null,
      resolve,
      reject,
      promise,
      timer: null,
    };
    this.queue.push(job);
    this.pump();
    return {
      write: (pcm) => {
        if (job.ended || job.aborted || pcm.length === 0) return;
        if (job.socket) job.socket.write(pcm);
        else job.chunks.push(pcm);
      },
      end: () => {
        if (!job.ended && !job.aborted) {
          job.ended = true;
          this.finishAudio(job);
        }
        return job.promise;
      },
      abort: () => {
        if (job.aborted) return;
        job.aborted = true;
        // The decoder still reads this utterance to its end; its result is discarded.
        if (!job.ended) {
          job.ended = true;
          this.finishAudio(job);
        }
        job.reject(new AppError('CANCELLED', 'utterance abandoned'));
      },
    };
  }

  private pump(): void {
    if (this.active || this.exitDetail || !this.ctl) return;
    const job = this.queue.shift();
    if (!job) return;
    this.active = job;
    // The uttid in the 4th column comes back in the result line, so results are matched to utterances.
    this.ctl.write(`${this.audioName} 0 -1 ${job.id}\n`);
    void this.openAudio(job);
  }

  /** The decoder opens the audio FIFO for reading once it reads our line; we open it for writing then. */
  private async openAudio(job: Job): Promise<void> {
    const audioPath = path.join(this.options.workDir, `${this.audioName}.raw`);
    const deadline = Date.now() + OPEN_WRITER_TIMEOUT_MS;
    let fd: number | null = null;
    while (fd === null) {
      try {
        fd = fs.openSync(audioPath, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
        if (this.exitDetail) return;
        if (Date.now() > deadline) {
          this.fail(`${this.options.name} did not open the audio stream: ${this.lastErrors() || 'no message'}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    const socket = new net.Socket({ fd, readable: false, writable: true });
    socket.on('error', () => {});
    job.socket = socket;
    for (const chunk of job.chunks.splice(0)) socket.write(chunk);
    if (job.ended) this.finishAudio(job);
  }

  private finishAudio(job: Job): void {
    const socket = job.socket;
    if (!socket) return; // openAudio flushes and finishes when it opens
    job.socket = null;
    socket.end(() => socket.destroy());
    job.timer = setTimeout(() => {
      this.fail(`${this.options.name} gave no result within ${this.options.resultTimeoutMs ?? 5000} ms`);
    }, this.options.resultTimeoutMs ?? 5000);
  }

  private onResultText(text: string): void {
    this.buffer += text;
    let newline = this.buffer.indexOf('\n');
    while (newline !== -1) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      newline = this.buffer.indexOf('\n');
      const seg = parseHypSeg(line);
      const job = this.active;
      if (!seg || !job || seg.uttId !== job.id) continue;
      if (job.timer) clearTimeout(job.timer);
      this.active = null;
      job.resolve(seg);
      this.pump();
    }
  }

  private lastErrors(): string {
    return this.stderrTail
      .filter((line) => /ERROR|FATAL|error/i.test(line))
      .slice(-3)
      .join(' | ');
  }

  private fail(detail: string): void {
    if (this.exitDetail) return;
    this.exitDetail = detail;
    const error = new AppError(this.closed ? 'CANCELLED' : 'UNAVAILABLE', detail);
    for (const job of [this.active, ...this.queue.splice(0)]) {
      if (!job) continue;
      if (job.timer) clearTimeout(job.timer);
      job.socket?.destroy();
      job.reject(error);
    }
    this.active = null;
    if (!this.closed) {
      this.options.onExit?.(detail);
      this.stopProcess();
    }
  }

  private stopProcess(): void {
    this.ctl?.destroy();
    this.results?.destroy();
    this.ctl = null;
    this.results = null;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** Stops the process (ours only) and removes its pipes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const child = this.child;
    const exited =
      child && child.exitCode === null && child.signalCode === null
        ? new Promise<void>((resolve) => child.once('exit', () => resolve()))
        : Promise.resolve();
    this.fail('closed');
    this.stopProcess();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    fs.rmSync(this.options.workDir, { recursive: true, force: true });
  }
}

function makeFifo(file: string): void {
  fs.rmSync(file, { force: true });
  const result = spawnSync('mkfifo', ['-m', '600', file], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new AppError(
      'UNAVAILABLE',
      `Cannot create a pipe for the recogniser (mkfifo): ${result.error?.message ?? result.stderr.trim()}`,
    );
  }
}
