/**
 * The voice subsystem behind one object: push-to-talk capture → warm recogniser → normaliser → read-back or the
 * router, and the spoken-alert queue. The engine creates one and the API handlers call it; nothing here imports
 * Electron or knows about windows.
 *
 * Missing parts degrade, they do not break: no recorder or no recogniser leaves `capture: 'unavailable'` with a
 * message saying what to install; no speech engine leaves alerts as text with the reason. The rest of the desk is
 * untouched either way.
 */
import type { DoctorCheck } from '../../../shared/contract/app';
import type {
  CaptureState,
  PendingVoiceOrder,
  PttSource,
  RejectReason,
  SpeechEvent,
  SpeechKind,
  SpokenCommand,
  Transcript,
  Verbosity,
  VoiceDevice,
  VoiceLevel,
  VoiceSettings,
  VoiceStatus,
} from '../../../shared/domain/voice';
import { AppError } from '../../../shared/result';
import type { Logger } from '../config';
import { which } from '../doctor/which';
import { acceptCommand } from './accept-command';
import { type CaptureHandle, chooseRecorder, noRecorderMessage, startCapture } from './capture/recorder';
import { OrderReadback, type QuoteSnapshot, type ReadbackOutcome } from './confirm/order-readback';
import { buildCommandLanguage } from './grammar/command-language';
import { PocketSphinxRecognizer } from './recognition/pocketsphinx-recognizer';
import type { RecognitionResult, RecognitionSession, SpeechRecognizer } from './recognition/recognizer';
import { runTool } from './run-tool';
import { chooseSpeechEngine } from './speech/choose-engine';
import type { SpeechEngine } from './speech/speech-engine';
import { SpeechQueue } from './speech/speech-queue';

/** The voice events, as the contract names them. */
export interface VoiceEvents {
  onVoiceLevel: VoiceLevel;
  onVoiceState: VoiceStatus;
  onTranscript: Transcript;
  onSpeech: SpeechEvent;
}

export interface VoiceHooks {
  /** The latest quote for a symbol (read-back notional and price-band check), or null. */
  quote(symbol: string): QuoteSnapshot | null;
  /** The knowledge slot's warnings for an order. */
  ruleWarnings?(
    order: Extract<SpokenCommand, { kind: 'order' }>['order'],
  ): Promise<readonly string[]> | readonly string[];
  /** Places a confirmed spoken order with the paper broker. */
  placeOrder(order: Extract<SpokenCommand, { kind: 'order' }>['order']): Promise<{ orderId: string }>;
  /** A recognised question: the router answers it (and may speak the answer with `say(…, 'reply')`). */
  onQuery?(command: Extract<SpokenCommand, { kind: 'question' }>, transcript: Transcript): void;
}

export interface VoiceServiceOptions {
  readonly settings: () => VoiceSettings;
  readonly watchlist: () => readonly string[];
  readonly emit: <E extends keyof VoiceEvents>(event: E, payload: VoiceEvents[E]) => void;
  readonly hooks: VoiceHooks;
  readonly log?: Logger;
  /** Wall clock (ms) for transcripts and read-back timeouts. */
  readonly now?: () => number;
  /** Default: PocketSphinx. Tests and a future neural recogniser plug in here. */
  readonly recognizer?: SpeechRecognizer;
  /** Default: chosen from the settings and what is installed. */
  readonly speechEngine?: SpeechEngine | null;
  /** Why there is no speech engine when `speechEngine` is null (shown in the voice bar and doctor). */
  readonly speechOffReason?: string;
  /** Extra environment for recorders and speech engines (the test harness's private PulseAudio). */
  readonly audioEnv?: Readonly<Record<string, string>>;
}

const CAUGHT_NOTHING = "I didn't catch that.";
/** How long status() trusts its last look at the recorder and recogniser. */
const PROBE_TTL_MS = 3000;

interface Active {
  readonly id: string;
  readonly source: PttSource;
  readonly capture: CaptureHandle;
  readonly session: RecognitionSession;
  readonly startedAt: number;
  failed: string | null;
  stopping: Promise<Transcript> | null;
}

export class VoiceService {
  private readonly recognizer: SpeechRecognizer;
  private speech: SpeechQueue;
  private enginePreference: VoiceSettings['voice.engine'];
  private readonly readback: OrderReadback;
  private readonly now: () => number;
  private active: Active | null = null;
  private captureState: CaptureState = 'idle';
  private message: string | null = null;
  private counter = 0;
  private lastTranscript: Transcript | null = null;
  private grammarError: string | null = null;
  private closed = false;

  constructor(private readonly options: VoiceServiceOptions) {
    this.now = options.now ?? Date.now;
    this.recognizer = options.recognizer ?? new PocketSphinxRecognizer({ log: options.log });
    const settings = options.settings();
    this.enginePreference = settings['voice.engine'];
    this.speech = this.makeSpeechQueue(settings);
    this.readback = new OrderReadback({
      limits: () => {
        const s = this.options.settings();
        return {
          maxQty: s['voice.maxOrderQty'],
          maxNotionalE4: s['voice.maxOrderNotionalCents'] * 100,
          priceBandPct: s['voice.priceBandPct'],
          confirmTimeoutMs: s['voice.confirmTimeoutMs'],
        };
      },
      quote: (symbol) => this.options.hooks.quote(symbol),
      ruleWarnings: this.options.hooks.ruleWarnings?.bind(this.options.hooks),
      place: (order) => this.options.hooks.placeOrder(order),
      now: this.now,
      onChange: (_pending, why) => {
        if (why === 'expired') this.speech.say({ text: 'The order timed out. Nothing was placed.', kind: 'readback' });
        this.publish();
      },
    });
  }

  /** Loads the grammar for the current watchlist and warms the recogniser. Safe to call again. */
  async start(): Promise<void> {
    await this.refreshGrammar();
  }

  /** Rebuilds the grammar after a watchlist change; the old one keeps serving until the new one is warm. */
  async refreshGrammar(): Promise<void> {
    const available = this.recognizer.available();
    if (!available.ok && !this.recognizer.language) {
      this.grammarError = available.detail;
      this.publish();
      return;
    }
    try {
      await this.recognizer.load(buildCommandLanguage({ watchlist: this.options.watchlist() }));
      this.grammarError = null;
    } catch (error) {
      this.grammarError = error instanceof Error ? error.message : String(error);
      this.options.log?.error(`Voice: the recogniser could not load: ${this.grammarError}`);
    }
    this.probed = null;
    this.publish();
  }

  /** Re-reads the voice settings (the host calls this when a `voice.*` setting changes). */
  applySettings(): void {
    this.probed = null;
    const s = this.options.settings();
    if (s['voice.engine'] !== this.enginePreference && this.options.speechEngine === undefined) {
      this.enginePreference = s['voice.engine'];
      this.speech.close();
      this.speech = this.makeSpeechQueue(s);
    }
    this.speech.setMuted(s['voice.muted']);
    this.speech.setVerbosity(s['voice.verbosity']);
    this.publish();
  }

  status(): VoiceStatus {
    const s = this.options.settings();
    // status() runs on every spoken alert (publish); probing PATH and the model files each time cost more than the
    // alert. The probes are re-read after a few seconds, and push-to-talk always probes afresh.
    const { recorder, recognizer } = this.probes(s['voice.recorder']);
    const recognizerOk = recognizer.ok && this.recognizer.language !== null && this.grammarError === null;
    const unavailable = !recorder
      ? noRecorderMessage(s['voice.recorder'])
      : !recognizerOk
        ? (this.grammarError ?? recognizer.detail)
        : null;
    const engine = this.speech.engineName;
    const silent = this.speech.silentReason;
    return {
      capture: unavailable && this.captureState === 'idle' ? 'unavailable' : this.captureState,
      message: this.message ?? unavailable,
      recorder: {
        name: recorder?.name ?? null,
        available: recorder !== null,
        detail: recorder
          ? `${recorder.name} (${recorder.path}), input ${s['voice.inputDevice'] ?? 'the default device'}`
          : noRecorderMessage(s['voice.recorder']),
        device: s['voice.inputDevice'],
      },
      recognizer: {
        name: this.recognizer.name,
        available: recognizerOk,
        detail: recognizerOk ? recognizer.detail : (this.grammarError ?? recognizer.detail),
      },
      speech: {
        name: engine,
        available: engine !== null,
        detail: silent ?? `${engine} speaks alerts`,
        muted: this.speech.isMuted,
        verbosity: this.speech.currentVerbosity,
        speaking: this.speech.speaking,
        queued: this.speech.queued,
      },
      pending: this.readback.current,
    };
  }

  /** Key or button pressed: starts capturing. Throws `UNAVAILABLE` with the reason when voice cannot work. */
  pttStart(source: PttSource): { utteranceId: string } {
    if (this.closed) throw new AppError('UNAVAILABLE', 'Voice is shut down');
    if (this.active) return { utteranceId: this.active.id };
    const s = this.options.settings();
    const recorder = chooseRecorder(s['voice.recorder'], this.recorderEnv());
    if (!recorder) {
      this.message = noRecorderMessage(s['voice.recorder']);
      this.publish();
      throw new AppError('UNAVAILABLE', this.message);
    }
    let session: RecognitionSession;
    try {
      session = this.recognizer.begin();
    } catch (error) {
      this.message = error instanceof Error ? error.message : String(error);
      this.publish();
      throw new AppError('UNAVAILABLE', this.message);
    }
    // Talking over the desk's own voice helps nobody: push-to-talk interrupts it.
    this.speech.hold();
    const id = `v${++this.counter}`;
    const startedAt = this.now();
    let capture: CaptureHandle;
    try {
      capture = startCapture({
        recorder,
        device: s['voice.inputDevice'],
        sampleRateHz: this.recognizer.sampleRateHz,
        maxUtteranceMs: s['voice.maxUtteranceMs'],
        env: this.options.audioEnv,
        onData: (pcm) => session.write(pcm),
        onListening: () => {
          if (this.active?.id !== id) return;
          this.captureState = 'listening';
          this.publish();
        },
        onLevel: (level) => this.options.emit('onVoiceLevel', { utteranceId: id, ...level }),
        onMaxLength: () => {
          if (this.active?.id !== id) return;
          this.message = `Stopped listening after ${Math.round(s['voice.maxUtteranceMs'] / 1000)} seconds (the longest utterance).`;
          void this.pttStop().catch(() => {});
        },
        onFailure: (message) => {
          const active = this.active;
          if (active?.id !== id) return;
          active.failed = message;
          void this.pttStop().catch(() => {});
        },
      });
    } catch (error) {
      session.abort();
      this.speech.release();
      this.message = error instanceof Error ? error.message : String(error);
      this.publish();
      throw new AppError('UNAVAILABLE', this.message);
    }
    this.active = { id, source, capture, session, startedAt, failed: null, stopping: null };
    this.captureState = 'starting';
    this.message = null;
    this.publish();
    return { utteranceId: id };
  }

  /** Key or button released: ends the utterance and returns what it meant (also sent as onTranscript). */
  async pttStop(): Promise<Transcript> {
    const active = this.active;
    if (!active) {
      if (this.lastTranscript) return this.lastTranscript;
      throw new AppError('CONFLICT', 'Not listening: press and hold the voice key first');
    }
    if (active.stopping) return active.stopping;
    active.stopping = this.finish(active);
    return active.stopping;
  }

  private async finish(active: Active): Promise<Transcript> {
    const releasedAt = this.now();
    const releasedPerf = performance.now();
    this.captureState = 'recognising';
    this.publish();
    const end = await active.capture.stop();
    let result: RecognitionResult | null = null;
    let rejected: RejectReason | null = null;
    let message: string;
    if (active.failed || end.reason === 'failed') {
      active.session.abort();
      rejected = 'capture_failed';
      message = active.failed ?? end.error ?? 'The recorder failed';
    } else {
      try {
        result = await active.session.end();
      } catch (error) {
        rejected = 'recognizer_failed';
        message = `The recogniser failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      message ??= '';
    }
    let command: SpokenCommand | null = null;
    if (result && !rejected)
      ({ command, rejected } = acceptCommand(this.recognizer.language?.grammar ?? null, result, end.audioMs));
    if (rejected && rejected !== 'capture_failed' && rejected !== 'recognizer_failed') {
      message = rejectMessage(rejected);
    } else if (command) {
      message = command.canonical;
    }
    const transcript: Transcript = {
      utteranceId: active.id,
      text: result?.words.join(' ') ?? '',
      command,
      rejected,
      message: message || CAUGHT_NOTHING,
      confidence: result?.confidence ?? 0,
      audioMs: end.audioMs,
      releaseToResultMs: Math.round((performance.now() - releasedPerf) * 10) / 10,
      recognizer: this.recognizer.name,
      at: releasedAt,
    };
    if (this.active === active) this.active = null;
    this.captureState = 'idle';
    this.message = rejected === 'capture_failed' ? transcript.message : (this.message ?? null);
    this.lastTranscript = transcript;
    // A failed utterance may mean a dead decoder or a lost device: look again.
    if (rejected === 'capture_failed' || rejected === 'recognizer_failed') this.probed = null;
    this.options.emit('onTranscript', transcript);
    this.speech.release();
    await this.act(transcript);
    this.publish();
    return transcript;
  }

  /** Acts on a transcript: read-back and control words here, questions to the router, nothing for a rejection. */
  private async act(transcript: Transcript): Promise<void> {
    const command = transcript.command;
    if (!command) {
      if (transcript.rejected === 'out_of_grammar') this.speech.say({ text: CAUGHT_NOTHING, kind: 'reply' });
      return;
    }
    switch (command.kind) {
      case 'order':
      case 'confirm':
      case 'cancel':
      case 'correct': {
        const outcome = await this.readback.handle(command);
        if (outcome) this.sayOutcome(outcome);
        return;
      }
      case 'stop_speaking':
        this.speech.stopAll('the trader said stop talking');
        return;
      case 'repeat':
        this.speech.repeat();
        return;
      case 'question':
        this.options.hooks.onQuery?.(command, transcript);
        return;
    }
  }

  private sayOutcome(outcome: ReadbackOutcome): void {
    this.speech.say({ text: outcome.speech, kind: 'readback', key: 'readback' });
  }

  /** The confirm button (or an API client): places the pending spoken order. */
  async confirm(id?: string): Promise<{ placed: boolean; orderId: string | null; message: string }> {
    const outcome = await this.readback.confirm(id);
    this.sayOutcome(outcome);
    this.publish();
    return {
      placed: outcome.placedOrderId !== undefined,
      orderId: outcome.placedOrderId ?? null,
      message: outcome.speech,
    };
  }

  /** The cancel button: drops the pending spoken order. */
  cancel(id?: string): { cancelled: boolean; message: string } {
    const outcome = this.readback.cancel(id);
    if (!outcome.refused) this.sayOutcome(outcome);
    this.publish();
    return { cancelled: !outcome.refused, message: outcome.speech };
  }

  /** Queues a spoken message (an alert, a decision, a reply). */
  say(text: string, kind: SpeechKind, key?: string): SpeechEvent {
    const event = this.speech.say({ text, kind, ...(key ? { key } : {}) });
    this.publish();
    return event;
  }

  stopSpeaking(): void {
    this.speech.stopAll('stopped');
    this.publish();
  }

  setMuted(muted: boolean): VoiceStatus {
    this.speech.setMuted(muted);
    this.publish();
    return this.status();
  }

  setVerbosity(verbosity: Verbosity): VoiceStatus {
    this.speech.setVerbosity(verbosity);
    this.publish();
    return this.status();
  }

  get pending(): PendingVoiceOrder | null {
    return this.readback.current;
  }

  /** Input devices the recorders can open (PulseAudio sources, ALSA capture devices). */
  async devices(): Promise<VoiceDevice[]> {
    const env = { ...process.env, ...(this.options.audioEnv ?? {}) };
    const out: VoiceDevice[] = [];
    if (which('pactl', env)) {
      const r = await runTool('pactl', ['list', 'short', 'sources'], {
        env,
        allowFailure: true,
        timeoutMs: 3000,
      }).catch(() => null);
      for (const line of r?.code === 0 ? r.stdout.toString('utf8').split('\n') : []) {
        const name = line.split('\t')[1];
        if (name) out.push({ id: name, label: `${name} (PulseAudio)`, recorder: 'sox' });
      }
    }
    if (which('arecord', env)) {
      const r = await runTool('arecord', ['-L'], { env, allowFailure: true, timeoutMs: 3000 }).catch(() => null);
      for (const line of r?.code === 0 ? r.stdout.toString('utf8').split('\n') : []) {
        if (/^(hw|plughw):/.test(line))
          out.push({ id: line.trim(), label: `${line.trim()} (ALSA)`, recorder: 'arecord' });
      }
    }
    return out;
  }

  /** Lines for `doctor`: recorder, recogniser and speech, each ok or what to install. */
  doctorChecks(): DoctorCheck[] {
    const status = this.status();
    const s = this.options.settings();
    const capture: DoctorCheck = {
      name: 'Voice capture',
      status: status.recorder.available ? 'ok' : 'missing',
      detail: status.recorder.detail,
    };
    // `doctor` runs in the CLI, where the grammar is not loaded and speech is off: report what the desk will have.
    const notLoadedYet =
      !status.recognizer.available &&
      this.probes(s['voice.recorder']).recognizer.ok &&
      !this.recognizer.language &&
      this.grammarError === null;
    const recognition: DoctorCheck = {
      name: 'Speech recognition',
      status: status.recognizer.available || notLoadedYet ? 'ok' : 'missing',
      detail: notLoadedYet
        ? `${this.recognizer.name} and its model are installed; the grammar loads when the desk starts`
        : status.recognizer.detail,
    };
    let alerts: DoctorCheck;
    if (this.options.speechOffReason) {
      const desk = chooseSpeechEngine(s['voice.engine'], this.options.audioEnv);
      alerts = desk.engine
        ? { name: 'Spoken alerts', status: 'ok', detail: `${desk.engine.name} speaks alerts in the desk` }
        : { name: 'Spoken alerts', status: 'missing', detail: `${desk.reason}; alerts are shown as text only` };
    } else if (status.speech.available) {
      const silent = this.speech.silentReason && !status.speech.muted;
      alerts = { name: 'Spoken alerts', status: silent ? 'warn' : 'ok', detail: status.speech.detail };
    } else {
      alerts = {
        name: 'Spoken alerts',
        status: 'missing',
        detail: `${status.speech.detail}; alerts are shown as text only`,
      };
    }
    return [capture, recognition, alerts];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const active = this.active;
    this.active = null;
    if (active) {
      active.capture.abort();
      active.session.abort();
    }
    this.readback.close();
    this.speech.close();
    await this.recognizer.close();
  }

  private makeSpeechQueue(settings: VoiceSettings): SpeechQueue {
    const chosen =
      this.options.speechEngine !== undefined
        ? {
            engine: this.options.speechEngine,
            reason: this.options.speechEngine ? null : (this.options.speechOffReason ?? 'No speech engine configured'),
          }
        : chooseSpeechEngine(settings['voice.engine'], this.options.audioEnv);
    return new SpeechQueue({
      engine: chosen.engine,
      unavailableReason: chosen.reason ?? undefined,
      emit: (event) => this.options.emit('onSpeech', event),
      now: this.now,
      muted: settings['voice.muted'],
      verbosity: settings['voice.verbosity'],
    });
  }

  private probed: {
    at: number;
    setting: VoiceSettings['voice.recorder'];
    recorder: ReturnType<typeof chooseRecorder>;
    recognizer: { ok: boolean; detail: string };
  } | null = null;

  private probes(setting: VoiceSettings['voice.recorder']): {
    recorder: ReturnType<typeof chooseRecorder>;
    recognizer: { ok: boolean; detail: string };
  } {
    const now = performance.now();
    const p = this.probed;
    if (p && p.setting === setting && now - p.at < PROBE_TTL_MS) return p;
    this.probed = {
      at: now,
      setting,
      recorder: chooseRecorder(setting, this.recorderEnv()),
      recognizer: this.recognizer.available(),
    };
    return this.probed;
  }

  private recorderEnv(): NodeJS.ProcessEnv {
    return { ...process.env, ...(this.options.audioEnv ?? {}) };
  }

  private publish(): void {
    if (this.closed) return;
    this.options.emit('onVoiceState', this.status());
  }
}

function rejectMessage(reason: RejectReason): string {
  switch (reason) {
    case 'silence':
      return "I didn't hear anything. Hold the key or the voice button while you speak.";
    case 'too_short':
      return 'That was too short. Hold the key while you speak, and release it when you are done.';
    case 'out_of_grammar':
      return `${CAUGHT_NOTHING} Try "buy 10 Apple at market" or "what is the price of Tesla".`;
    default:
      return CAUGHT_NOTHING;
  }
}
