/**
 * Voice benchmark: `npm run bench -- voice`, or alone with `npx tsx bench/voice-bench.ts`.
 *
 * Over a generated set (commands spoken by espeak-ng and festival voices at several speeds, some with pink noise
 * mixed in by sox; desk chatter that is not a command, including a held-out set never used for tuning):
 *
 * - command accuracy: the exact intent: the router reads the same intent, entities and all, from what was heard
 *   as from what was said (a rejection counts as wrong);
 * - wrong-command rate: a different command was accepted (the read-back is the safety net for these);
 * - word error rate of the grammar decoder's words against what was said;
 * - false-command rate on non-command speech, and how many of those would have been orders;
 * - release-to-intent latency (p50, p95) through the real loop: the virtual microphone, the recorder, the warm
 *   decoders, the normaliser, measured from the push-to-talk release to the transcript;
 * - alert latency (p50, p95) from a decision entering the speech queue to its first audio on the sound server.
 *
 * The accuracy pass streams each utterance straight into the recogniser (the same decoders; only the
 * microphone is skipped) so the whole set takes minutes, not half an hour of real-time playback.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findProjectRoot } from '../src/main/core/doctor/electron-binary';
import { parseIntent } from '../src/main/core/orchestrator/router';
import { acceptCommand, ORDER_MIN_CONFIDENCE } from '../src/main/core/voice/accept-command';
import { chooseRecorder } from '../src/main/core/voice/capture/recorder';
import { buildCommandLanguage } from '../src/main/core/voice/grammar/command-language';
import {
  DEFAULT_GAP_THRESHOLD,
  PocketSphinxRecognizer,
} from '../src/main/core/voice/recognition/pocketsphinx-recognizer';
import { EspeakEngine } from '../src/main/core/voice/speech/espeak-engine';
import { FestivalSayEngine } from '../src/main/core/voice/speech/festival-say-engine';
import { FliteEngine } from '../src/main/core/voice/speech/flite-engine';
import type { SpeechEngine } from '../src/main/core/voice/speech/speech-engine';
import { SpeechQueue } from '../src/main/core/voice/speech/speech-queue';
import {
  type SynthVoice,
  synthesisAvailability,
  synthesize,
  testVoices,
  voiceLabel,
} from '../src/main/core/voice/testing/synthesize';
import {
  type CommandUtterance,
  commandUtterances,
  heldOutNonCommandSentences,
  nonCommandSentences,
} from '../src/main/core/voice/testing/utterances';
import { startVirtualMic, virtualMicAvailability } from '../src/main/core/voice/testing/virtual-mic';
import { VoiceService } from '../src/main/core/voice/voice-service';
import { defaultVoiceSettings, type SpokenOrder } from '../src/shared/domain/voice';

const WATCHLIST = ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY', 'IBM'];

/**
 * "Exact intent": what was heard means what was said, read by the same router that acts on it (kind, symbol,
 * side, quantity, order type, prices, option terms). "Is there a double top on SPY" and "is that a double top on
 * SPY" are the same question; "sell 40 IBM limit 200" and "limit 100" are not.
 */
function sameIntent(heard: string | null, said: string | undefined): boolean {
  if (heard === null || said === undefined) return false;
  if (heard === said) return true;
  const ctx = { knownSymbols: new Set(WATCHLIST) };
  return JSON.stringify(parseIntent(heard, ctx)) === JSON.stringify(parseIntent(said, ctx));
}
/** Noisy copies: pink noise at this SNR. */
const NOISE_SNR_DB = 20;

export interface VoiceBenchOptions {
  /** Clean commands (spread over the voices). Default 120. */
  readonly commands?: number;
  /** Noisy commands. Default 30. */
  readonly noisyCommands?: number;
  /** Utterances sent through the real loop for the latency figures. Default 30. */
  readonly loopSamples?: number;
  /** Alerts per speech engine. Default 10. */
  readonly alertSamples?: number;
  readonly log?: (line: string) => void;
}

interface Item {
  readonly id: string;
  readonly kind: 'command' | 'non_command' | 'held_out';
  readonly text: string;
  readonly words?: string;
  readonly canonical?: string;
  readonly voice: SynthVoice;
  readonly noisy: boolean;
  pcm?: Buffer;
}

interface Outcome {
  readonly item: Item;
  readonly canonical: string | null;
  readonly isOrder: boolean;
  readonly hypothesis: string;
  readonly gap: number | string;
}

export interface Rate {
  readonly count: number;
  readonly of: number;
  readonly rate: number;
}

export interface VoiceBenchResult {
  readonly benchmark: 'voice';
  readonly at: string;
  readonly machine: { readonly cpus: number; readonly node: string; readonly note: string };
  readonly skipped: string | null;
  readonly recognizer: {
    readonly name: string;
    readonly gapThreshold: number;
    readonly orderMinConfidence: number;
    readonly loadMs: number;
  } | null;
  readonly commandAccuracy: {
    readonly clean: Rate;
    readonly noisy: Rate;
    readonly byVoice: Record<string, Rate>;
  } | null;
  readonly wrongCommands: { readonly clean: Rate; readonly noisy: Rate } | null;
  readonly wordErrorRate: { readonly clean: number; readonly noisy: number } | null;
  readonly falseCommands: {
    readonly tuning: Rate & { readonly orders: number };
    readonly heldOut: Rate & { readonly orders: number };
  } | null;
  readonly releaseToIntentMs: {
    readonly samples: number;
    readonly p50: number;
    readonly p95: number;
    readonly recorderStartupP50: number;
    readonly correct: Rate;
  } | null;
  readonly alertFirstAudioMs: Record<string, { readonly samples: number; readonly p50: number; readonly p95: number }>;
  readonly failures: readonly string[];
}

export async function benchVoice(options: VoiceBenchOptions = {}): Promise<VoiceBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const missing = [
    ...synthesisAvailability().missing,
    ...virtualMicAvailability().missing,
    ...(chooseRecorder('auto') ? [] : ['sox or arecord']),
  ];
  const probe = new PocketSphinxRecognizer();
  const recognizerOk = probe.available();
  if (!recognizerOk.ok) missing.push(recognizerOk.detail);
  const base = {
    benchmark: 'voice' as const,
    at: new Date().toISOString(),
    machine: {
      cpus: (await import('node:os')).cpus().length,
      node: process.versions.node,
      note: 'CPU shared with other work; latencies are wall-clock on this machine',
    },
  };
  if (missing.length > 0) {
    const result: VoiceBenchResult = {
      ...base,
      skipped: `missing: ${missing.join(', ')}`,
      recognizer: null,
      commandAccuracy: null,
      wrongCommands: null,
      wordErrorRate: null,
      falseCommands: null,
      releaseToIntentMs: null,
      alertFirstAudioMs: {},
      failures: [],
    };
    write(result, log);
    return result;
  }

  // 1. The generated set.
  const commands = commandUtterances(WATCHLIST, options.commands ?? 120, 7);
  const noisy = commandUtterances(WATCHLIST, options.noisyCommands ?? 30, 99);
  const items: Item[] = [
    ...commands.map((u, i) => commandItem(`c${i}`, u, testVoices[i % testVoices.length] as SynthVoice, false)),
    ...noisy.map((u, i) => commandItem(`n${i}`, u, testVoices[(i + 3) % testVoices.length] as SynthVoice, true)),
    ...nonCommandSentences.map((text, i) => ({
      id: `x${i}`,
      kind: 'non_command' as const,
      text,
      voice: testVoices[i % testVoices.length] as SynthVoice,
      noisy: false,
    })),
    ...heldOutNonCommandSentences.map((text, i) => ({
      id: `h${i}`,
      kind: 'held_out' as const,
      text,
      voice: testVoices[(i + 1) % testVoices.length] as SynthVoice,
      noisy: false,
    })),
  ];
  const t0 = performance.now();
  await parallel(items, 2, async (item) => {
    item.pcm = await synthesize(item.text, item.voice, item.noisy ? { snrDb: NOISE_SNR_DB } : {});
  });
  log(`voice bench: synthesised ${items.length} utterances in ${Math.round((performance.now() - t0) / 1000)} s`);

  // 2. Accuracy, word error rate and false commands, straight into the recogniser.
  const recognizer = new PocketSphinxRecognizer();
  const loadStart = performance.now();
  await recognizer.load(buildCommandLanguage({ watchlist: WATCHLIST }));
  const loadMs = Math.round(performance.now() - loadStart);
  const outcomes: Outcome[] = [];
  try {
    for (const item of items) {
      const session = recognizer.begin();
      const pcm = item.pcm as Buffer;
      for (let i = 0; i < pcm.length; i += 3200) session.write(pcm.subarray(i, i + 3200));
      const result = await session.end();
      const { command } = acceptCommand(recognizer.grammar, result, pcm.length / 32);
      outcomes.push({
        item,
        canonical: command?.canonical ?? null,
        isOrder: command?.kind === 'order',
        hypothesis: String(result.detail.heard ?? result.words.join(' ')),
        gap: result.detail.gapPerFrame ?? 'none',
      });
    }
  } finally {
    await recognizer.close();
  }
  log(`voice bench: recognised ${outcomes.length} utterances`);

  const cmd = (noisyWanted: boolean) =>
    outcomes.filter((o) => o.item.kind === 'command' && o.item.noisy === noisyWanted);
  const correct = (list: Outcome[]) =>
    rate(list.filter((o) => sameIntent(o.canonical, o.item.canonical)).length, list.length);
  const wrong = (list: Outcome[]) =>
    rate(list.filter((o) => o.canonical !== null && !sameIntent(o.canonical, o.item.canonical)).length, list.length);
  const byVoice: Record<string, Rate> = {};
  for (const voice of testVoices) {
    const label = voiceLabel(voice);
    byVoice[label] = correct(cmd(false).filter((o) => voiceLabel(o.item.voice) === label));
  }
  const falseOf = (kind: Item['kind']) => {
    const list = outcomes.filter((o) => o.item.kind === kind);
    return {
      ...rate(list.filter((o) => o.canonical !== null).length, list.length),
      orders: list.filter((o) => o.isOrder).length,
    };
  };
  const failures = outcomes
    .filter((o) => (o.item.kind === 'command' ? !sameIntent(o.canonical, o.item.canonical) : o.canonical !== null))
    .map(
      (o) =>
        `${o.item.id} [${voiceLabel(o.item.voice)}${o.item.noisy ? ', noisy' : ''}] said "${o.item.text}" → ${o.canonical ?? 'rejected'} (heard "${o.hypothesis}", gap ${o.gap})`,
    );

  // 3. Release-to-intent through the real loop.
  const loop = await measureLoop(
    items.filter((i) => i.kind === 'command' && !i.noisy).slice(0, options.loopSamples ?? 30),
    log,
  );

  // 4. Alert latency, decision to first audio.
  const alerts = await measureAlerts(options.alertSamples ?? 10, log);

  const result: VoiceBenchResult = {
    ...base,
    skipped: null,
    recognizer: {
      name: 'pocketsphinx',
      gapThreshold: DEFAULT_GAP_THRESHOLD,
      orderMinConfidence: ORDER_MIN_CONFIDENCE,
      loadMs,
    },
    commandAccuracy: { clean: correct(cmd(false)), noisy: correct(cmd(true)), byVoice },
    wrongCommands: { clean: wrong(cmd(false)), noisy: wrong(cmd(true)) },
    wordErrorRate: { clean: wer(cmd(false)), noisy: wer(cmd(true)) },
    falseCommands: { tuning: falseOf('non_command'), heldOut: falseOf('held_out') },
    releaseToIntentMs: loop,
    alertFirstAudioMs: alerts,
    failures,
  };
  write(result, log);
  return result;
}

function commandItem(id: string, u: CommandUtterance, voice: SynthVoice, noisy: boolean): Item {
  return { id, kind: 'command', text: u.text, words: u.words, canonical: u.canonical, voice, noisy };
}

async function measureLoop(items: Item[], log: (line: string) => void): Promise<VoiceBenchResult['releaseToIntentMs']> {
  const mic = await startVirtualMic();
  const placed: SpokenOrder[] = [];
  let onState: ((capture: string) => void) | null = null;
  const service = new VoiceService({
    settings: () => ({ ...defaultVoiceSettings, 'voice.inputDevice': mic.source }),
    watchlist: () => WATCHLIST,
    emit: (event, payload) => {
      if (event === 'onVoiceState') onState?.((payload as { capture: string }).capture);
    },
    hooks: {
      quote: () => ({ last: 200, dayLow: 190, dayHigh: 210 }),
      placeOrder: async (order) => {
        placed.push(order);
        return { orderId: String(placed.length) };
      },
    },
    speechEngine: null,
    audioEnv: mic.env,
  });
  const latencies: number[] = [];
  const startups: number[] = [];
  let right = 0;
  try {
    await service.start();
    for (const item of items) {
      const listening = new Promise<void>((resolve) => {
        onState = (capture) => {
          if (capture === 'listening') resolve();
        };
      });
      const pressedAt = performance.now();
      service.pttStart('key');
      await listening;
      startups.push(performance.now() - pressedAt);
      await mic.play(item.pcm as Buffer);
      // The trader lets go of the key a moment after the last word.
      await new Promise((r) => setTimeout(r, 100));
      const transcript = await service.pttStop();
      latencies.push(transcript.releaseToResultMs);
      if (sameIntent(transcript.command?.canonical ?? null, item.canonical)) right++;
      if (service.pending) service.cancel();
    }
  } finally {
    await service.close();
    await mic.close();
  }
  log(`voice bench: ${latencies.length} utterances through the virtual microphone`);
  return {
    samples: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    recorderStartupP50: percentile(startups, 50),
    correct: rate(right, items.length),
  };
}

async function measureAlerts(
  samples: number,
  log: (line: string) => void,
): Promise<VoiceBenchResult['alertFirstAudioMs']> {
  const mic = await startVirtualMic();
  const out: VoiceBenchResult['alertFirstAudioMs'] = {};
  const engines: SpeechEngine[] = [
    new EspeakEngine({ env: mic.env }),
    new FliteEngine({ env: mic.env }),
    new FestivalSayEngine({ env: mic.env }),
  ].filter((engine) => engine.available().ok);
  try {
    for (const engine of engines) {
      const latencies: number[] = [];
      for (let i = 0; i < samples; i++) {
        let finished!: () => void;
        const done = new Promise<void>((resolve) => {
          finished = resolve;
        });
        const queue = new SpeechQueue({
          engine,
          emit: (event) => {
            if (event.state === 'done' || event.state === 'failed') finished();
          },
        });
        const listen = mic.listen();
        const decidedAt = performance.now();
        queue.say({ text: `Decision: buy ${i + 2} shares of Apple; momentum turned up.`, kind: 'decision' });
        const first = await Promise.race([listen.firstSound, done.then(() => Number.NaN)]);
        await done;
        await listen.stop();
        if (Number.isFinite(first)) latencies.push(first - decidedAt);
      }
      out[engine.name] = { samples: latencies.length, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
      log(`voice bench: ${engine.name} spoke ${latencies.length} alerts`);
    }
  } finally {
    await mic.close();
  }
  return out;
}

function wer(list: Outcome[]): number {
  let errors = 0;
  let words = 0;
  for (const o of list) {
    const ref = (o.item.words ?? '').split(' ').filter(Boolean);
    const hyp = o.hypothesis.split(' ').filter(Boolean);
    errors += editDistance(ref, hyp);
    words += ref.length;
  }
  return words === 0 ? 0 : Math.round((errors / words) * 10_000) / 10_000;
}

function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] as number;
}

function rate(count: number, of: number): Rate {
  return { count, of, rate: of === 0 ? 0 : Math.round((count / of) * 10_000) / 10_000 };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] as number) * 10) / 10;
}

async function parallel<T>(items: T[], workers: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    }),
  );
}

const pct = (r: Rate) => `${(r.rate * 100).toFixed(1)}% (${r.count}/${r.of})`;

function write(result: VoiceBenchResult, log: (line: string) => void): void {
  const dir = path.join(findProjectRoot(process.cwd()), 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'voice.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (result.skipped) {
    log(`voice bench skipped: ${result.skipped}`);
    return;
  }
  const rows: [string, string, string][] = [];
  const a = result.commandAccuracy;
  const w = result.wrongCommands;
  const f = result.falseCommands;
  const l = result.releaseToIntentMs;
  if (a && w && f && l && result.wordErrorRate) {
    rows.push(['command accuracy, clean', pct(a.clean), 'aim ≥ 95%']);
    rows.push(['command accuracy, noisy (20 dB SNR)', pct(a.noisy), '']);
    for (const [voice, r] of Object.entries(a.byVoice)) rows.push([`  clean, ${voice}`, pct(r), '']);
    rows.push(['wrong command accepted, clean', pct(w.clean), 'read back before placing']);
    rows.push(['wrong command accepted, noisy', pct(w.noisy), '']);
    rows.push([
      'word error rate, clean / noisy',
      `${(result.wordErrorRate.clean * 100).toFixed(1)}% / ${(result.wordErrorRate.noisy * 100).toFixed(1)}%`,
      '',
    ]);
    rows.push(['false commands, non-command speech', `${pct(f.tuning)}, orders ${f.tuning.orders}`, 'aim: 0 orders']);
    rows.push(['false commands, held-out speech', `${pct(f.heldOut)}, orders ${f.heldOut.orders}`, 'aim: 0 orders']);
    rows.push([
      'release → intent p50 / p95 (real loop)',
      `${l.p50} / ${l.p95} ms (n=${l.samples})`,
      'aim p50 < 250 ms',
    ]);
    rows.push(['recorder start-up p50', `${l.recorderStartupP50} ms`, 'speech before it is lost']);
    rows.push(['real-loop accuracy', pct(l.correct), '']);
  }
  for (const [engine, s] of Object.entries(result.alertFirstAudioMs)) {
    rows.push([`alert → first audio, ${engine}`, `${s.p50} / ${s.p95} ms (n=${s.samples})`, 'p50 / p95']);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  const width2 = Math.max(...rows.map((r) => r[1].length));
  log('');
  log(`${'voice'.padEnd(width)}  ${'result'.padEnd(width2)}  note`);
  for (const [name, value, note] of rows) log(`${name.padEnd(width)}  ${value.padEnd(width2)}  ${note}`);
  log(`\nwrote bench/results/voice.json (${result.failures.length} misses listed there)`);
}

if (process.argv[1] && /voice-bench\.ts$/.test(process.argv[1])) {
  benchVoice().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
