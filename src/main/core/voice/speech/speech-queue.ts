/**
 * The spoken-alert queue (the MiniMax slot's voice). Rules, in a trader's order of importance:
 *
 * - Priority: fills, risk warnings and read-backs first; replies to the trader's own questions next; then
 *   decisions; then information. Within a priority, oldest first.
 * - No backlog of stale speech: a message with the same subject key as one still waiting replaces it (the market
 *   moved, only the latest decision on AAPL matters); every kind has a time-to-live, and a message that waited
 *   longer is dropped unsaid; at most a few decisions and informational messages wait at any time.
 * - Push-to-talk interrupts: `hold()` cuts the current message short and keeps quiet until `release()`.
 * - Mute and verbosity: muted, nothing is spoken (messages are shown as text); `quiet` speaks fills, risk,
 *   read-backs and replies, `normal` adds decisions, `verbose` adds information.
 * - No engine: every message stays text, and the event says why.
 */
import type { SpeechEvent, SpeechKind, Verbosity } from '../../../../shared/domain/voice';
import type { SpeakHandle, SpeechEngine } from './speech-engine';

export const SPEECH_RANK: Readonly<Record<SpeechKind, number>> = {
  fill: 0,
  risk: 0,
  readback: 0,
  reply: 1,
  decision: 2,
  info: 3,
};

/** How long a message may wait before it is not worth saying (ms). */
export const SPEECH_TTL_MS: Readonly<Record<SpeechKind, number>> = {
  fill: 30_000,
  risk: 30_000,
  readback: 20_000,
  reply: 20_000,
  decision: 8_000,
  info: 10_000,
};

/** At most this many messages of a kind wait; beyond it the oldest is dropped. */
const MAX_WAITING: Readonly<Record<SpeechKind, number>> = {
  fill: 10,
  risk: 10,
  readback: 1,
  reply: 3,
  decision: 2,
  info: 1,
};

const SPOKEN_AT: Readonly<Record<Verbosity, ReadonlySet<SpeechKind>>> = {
  quiet: new Set(['fill', 'risk', 'readback', 'reply']),
  normal: new Set(['fill', 'risk', 'readback', 'reply', 'decision']),
  verbose: new Set(['fill', 'risk', 'readback', 'reply', 'decision', 'info']),
};

export interface SpeechRequest {
  readonly text: string;
  readonly kind: SpeechKind;
  /** Subject for coalescing ("decision:AAPL"): a newer message with the same key replaces a waiting one. */
  readonly key?: string;
  readonly ttlMs?: number;
}

interface Item extends SpeechRequest {
  readonly id: string;
  readonly queuedAt: number;
  readonly seq: number;
}

export interface SpeechQueueOptions {
  /** The engine, or null when none is installed (`unavailableReason` says why). */
  readonly engine: SpeechEngine | null;
  readonly unavailableReason?: string;
  readonly emit: (event: SpeechEvent) => void;
  /** Wall clock, ms. */
  readonly now?: () => number;
  readonly muted?: boolean;
  readonly verbosity?: Verbosity;
  /** Called when speech actually starts (after the engine was asked), for latency measurements. */
  readonly onSpeaking?: (id: string, at: number) => void;
}

export class SpeechQueue {
  private readonly waiting: Item[] = [];
  private current: { item: Item; handle: SpeakHandle } | null = null;
  private held = false;
  private muted: boolean;
  private verbosity: Verbosity;
  private counter = 0;
  private readonly now: () => number;
  private lastSpoken: SpeechRequest | null = null;
  private engineFailure: string | null = null;

  constructor(private readonly options: SpeechQueueOptions) {
    this.now = options.now ?? Date.now;
    this.muted = options.muted ?? false;
    this.verbosity = options.verbosity ?? 'normal';
  }

  get speaking(): boolean {
    return this.current !== null;
  }

  get queued(): number {
    return this.waiting.length;
  }

  get engineName(): SpeechEngine['name'] | null {
    return this.options.engine?.name ?? null;
  }

  /** Why messages are not spoken right now (no engine, engine failing, muted), or null. */
  get silentReason(): string | null {
    if (!this.options.engine) return this.options.unavailableReason ?? 'No speech engine is installed';
    if (this.engineFailure) return this.engineFailure;
    if (this.muted) return 'Muted';
    return null;
  }

  /** Queues a message; returns its first event (queued, text_only or dropped). */
  say(request: SpeechRequest): SpeechEvent {
    const item: Item = { ...request, id: `s${++this.counter}`, queuedAt: this.now(), seq: this.counter };
    if (!this.options.engine) {
      return this.emit(item, 'text_only', this.options.unavailableReason ?? 'No speech engine is installed');
    }
    if (this.muted) return this.emit(item, 'dropped', 'muted');
    if (!SPOKEN_AT[this.verbosity].has(item.kind)) return this.emit(item, 'dropped', `verbosity ${this.verbosity}`);

    if (item.key) {
      for (let i = this.waiting.length - 1; i >= 0; i--) {
        const old = this.waiting[i] as Item;
        if (old.key === item.key) {
          this.waiting.splice(i, 1);
          this.emit(old, 'dropped', 'superseded by a newer message');
        }
      }
    }
    const sameKind = this.waiting.filter((w) => w.kind === item.kind);
    if (sameKind.length >= MAX_WAITING[item.kind]) {
      const oldest = sameKind[0] as Item;
      this.waiting.splice(this.waiting.indexOf(oldest), 1);
      this.emit(oldest, 'dropped', 'too many waiting');
    }
    this.waiting.push(item);
    const event = this.emit(item, 'queued');
    // A fill or risk warning does not wait behind a decision being read out: it interrupts it.
    if (this.current && SPEECH_RANK[item.kind] === 0 && SPEECH_RANK[this.current.item.kind] >= 2) {
      this.cut(this.current, 'interrupted', 'a more urgent message');
    }
    this.pump();
    return event;
  }

  /** Push-to-talk pressed: stop talking now and stay quiet until {@link release}. */
  hold(): void {
    this.held = true;
    if (this.current) this.cut(this.current, 'interrupted', 'push-to-talk');
  }

  release(): void {
    this.held = false;
    this.pump();
  }

  /** Stops the current message and drops everything waiting (the trader's "stop talking"). */
  stopAll(reason = 'stopped'): void {
    for (const item of this.waiting.splice(0)) this.emit(item, 'dropped', reason);
    if (this.current) this.cut(this.current, 'interrupted', reason);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    if (muted) this.stopAll('muted');
  }

  get isMuted(): boolean {
    return this.muted;
  }

  setVerbosity(verbosity: Verbosity): void {
    this.verbosity = verbosity;
    for (const item of [...this.waiting]) {
      if (!SPOKEN_AT[verbosity].has(item.kind)) {
        this.waiting.splice(this.waiting.indexOf(item), 1);
        this.emit(item, 'dropped', `verbosity ${verbosity}`);
      }
    }
  }

  get currentVerbosity(): Verbosity {
    return this.verbosity;
  }

  /** Says the last spoken message again ("repeat that"). */
  repeat(): SpeechEvent | null {
    return this.lastSpoken ? this.say({ ...this.lastSpoken, kind: 'reply', key: undefined }) : null;
  }

  /** Stops speaking and forgets the queue (app closing). */
  close(): void {
    this.stopAll('closing');
  }

  private cut(current: { item: Item; handle: SpeakHandle }, state: 'interrupted', reason: string): void {
    this.current = null;
    current.handle.stop();
    this.emit(current.item, state, reason);
  }

  private pump(): void {
    const engine = this.options.engine;
    if (!engine || this.current || this.held || this.muted) return;
    while (this.waiting.length > 0) {
      const next = this.takeNext();
      if (this.now() - next.queuedAt > (next.ttlMs ?? SPEECH_TTL_MS[next.kind])) {
        this.emit(next, 'dropped', 'stale');
        continue;
      }
      let handle: SpeakHandle;
      try {
        handle = engine.speak(next.text);
      } catch (error) {
        this.failed(next, error);
        continue;
      }
      const current = { item: next, handle };
      this.current = current;
      this.lastSpoken = { text: next.text, kind: next.kind };
      this.emit(next, 'speaking');
      this.options.onSpeaking?.(next.id, performance.now());
      handle.done.then(
        () => {
          if (this.current !== current) return;
          this.current = null;
          this.engineFailure = null;
          this.emit(next, 'done');
          this.pump();
        },
        (error) => {
          if (this.current !== current) return;
          this.current = null;
          this.failed(next, error);
          this.pump();
        },
      );
      return;
    }
  }

  private failed(item: Item, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.engineFailure = `The speech engine failed: ${message}`;
    this.emit(item, 'failed', message);
  }

  private takeNext(): Item {
    let best = 0;
    for (let i = 1; i < this.waiting.length; i++) {
      const a = this.waiting[i] as Item;
      const b = this.waiting[best] as Item;
      if (SPEECH_RANK[a.kind] < SPEECH_RANK[b.kind] || (SPEECH_RANK[a.kind] === SPEECH_RANK[b.kind] && a.seq < b.seq)) {
        best = i;
      }
    }
    return this.waiting.splice(best, 1)[0] as Item;
  }

  private emit(item: Item, state: SpeechEvent['state'], reason?: string): SpeechEvent {
    const event: SpeechEvent = {
      id: item.id,
      text: item.text,
      kind: item.kind,
      state,
      ...(reason ? { reason } : {}),
      engine: this.options.engine?.name ?? null,
      at: this.now(),
    };
    this.options.emit(event);
    return event;
  }
}
