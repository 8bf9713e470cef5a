/**
 * The real loop at the core level: speech synthesised by festival and espeak-ng is played into a private
 * PulseAudio null sink, captured by node-record-lpcm16 from its monitor, recognised by the warm PocketSphinx
 * decoders, normalised, read back, and placed only after a spoken "confirm". Only the microphone is virtual.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultVoiceSettings,
  type SpokenOrder,
  type Transcript,
  type VoiceSettings,
  type VoiceStatus,
} from '../../../shared/domain/voice';
import { AppError } from '../../../shared/result';
import { chooseRecorder } from './capture/recorder';
import { PocketSphinxRecognizer } from './recognition/pocketsphinx-recognizer';
import { type SynthVoice, synthesisAvailability, synthesize } from './testing/synthesize';
import { startVirtualMic, type VirtualMic, virtualMicAvailability } from './testing/virtual-mic';
import { type VoiceEvents, VoiceService } from './voice-service';

const festival: SynthVoice = { engine: 'festival', voice: 'kal_diphone', stretch: 1 };
const espeak: SynthVoice = { engine: 'espeak-ng', voice: 'en-us', wpm: 165 };

function makeService(
  mic: VirtualMic | null,
  overrides: Partial<VoiceSettings> = {},
  audioEnv?: Record<string, string>,
) {
  const events: { [E in keyof VoiceEvents]: VoiceEvents[E][] } = {
    onVoiceLevel: [],
    onVoiceState: [],
    onTranscript: [],
    onSpeech: [],
  };
  const placed: SpokenOrder[] = [];
  const queries: string[] = [];
  const settings: VoiceSettings = { ...defaultVoiceSettings, 'voice.inputDevice': mic?.source ?? null, ...overrides };
  const service = new VoiceService({
    settings: () => settings,
    watchlist: () => ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'SPY'],
    emit: (event, payload) => (events[event] as unknown[]).push(payload),
    hooks: {
      quote: (symbol) => (symbol === 'AAPL' ? { last: 192, dayLow: 189, dayHigh: 195 } : null),
      placeOrder: async (order) => {
        placed.push(order);
        return { orderId: `paper-${placed.length}` };
      },
      onQuery: (command) => queries.push(command.canonical),
    },
    // The spoken read-back would play into the same virtual sink the microphone hears; it stays text here
    // (speech output has its own tests).
    speechEngine: null,
    audioEnv: audioEnv ?? mic?.env,
  });
  return { service, events, placed, queries };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Holds the key, speaks into the virtual microphone once it listens, releases. */
async function utter(service: VoiceService, events: { onVoiceState: VoiceStatus[] }, mic: VirtualMic, pcm: Buffer) {
  const seen = events.onVoiceState.length;
  service.pttStart('key');
  await waitFor(() => events.onVoiceState.slice(seen).some((s) => s.capture === 'listening'), 'listening');
  await mic.play(pcm);
  return service.pttStop();
}

const missing = [
  ...virtualMicAvailability().missing,
  ...synthesisAvailability().missing,
  ...(chooseRecorder('auto') ? [] : ['sox or arecord']),
  ...(new PocketSphinxRecognizer().available().ok ? [] : ['pocketsphinx']),
];

describe.skipIf(missing.length > 0)(
  `voice end to end through a virtual microphone (missing: ${missing.join(', ') || 'none'})`,
  () => {
    let mic: VirtualMic;
    beforeAll(async () => {
      mic = await startVirtualMic();
    }, 20_000);
    afterAll(async () => {
      await mic?.close();
    });

    it('places a spoken order only after the read-back is confirmed, with a spoken correction', async () => {
      const { service, events, placed } = makeService(mic);
      await service.start();
      try {
        expect(service.status()).toMatchObject({
          capture: 'idle',
          recorder: { available: true },
          recognizer: { available: true },
        });

        const order = await utter(
          service,
          events,
          mic,
          await synthesize('buy ten shares of apple at market', festival),
        );
        expect(order.command?.canonical).toBe('buy 10 AAPL at market');
        expect(order.releaseToResultMs).toBeGreaterThan(0);
        expect(service.pending?.readBack).toBe('Buy 10 Apple at market, about 1,920 dollars. Say confirm or cancel.');
        expect(placed).toEqual([]);
        expect(events.onVoiceLevel.length).toBeGreaterThan(5);
        expect(events.onTranscript.at(-1)).toEqual(order);

        const correction = await utter(service, events, mic, await synthesize('quantity twenty', festival));
        expect(correction.command?.canonical).toBe('quantity 20');
        expect(service.pending?.order.qty).toBe(20);
        expect(placed).toEqual([]);

        const confirm = await utter(service, events, mic, await synthesize('confirm', festival));
        expect(confirm.command?.kind).toBe('confirm');
        expect(placed).toEqual([{ verb: 'buy', side: 'buy', qty: 20, symbol: 'AAPL', type: 'market' }]);
        expect(service.pending).toBeNull();
      } finally {
        await service.close();
      }
    }, 90_000);

    it('turns speech that is not a command into "I didn\'t catch that", never an order', async () => {
      const { service, events, placed, queries } = makeService(mic);
      await service.start();
      try {
        const transcripts: Transcript[] = [];
        for (const [text, voice] of [
          ['open the settings window', festival],
          ['i want to buy a new car', espeak],
          ['the weather is nice today', festival],
        ] as const) {
          transcripts.push(await utter(service, events, mic, await synthesize(text, voice)));
        }
        for (const t of transcripts) {
          expect(t.command).toBeNull();
          expect(t.rejected).toBe('out_of_grammar');
          expect(t.message).toMatch(/^I didn't catch that/);
        }
        expect(service.pending).toBeNull();
        expect(placed).toEqual([]);

        const question = await utter(service, events, mic, await synthesize('what is the price of tesla', festival));
        expect(question.command?.canonical).toBe('what is the price of TSLA');
        expect(queries).toEqual(['what is the price of TSLA']);
      } finally {
        await service.close();
      }
    }, 90_000);

    it('says so in the voice bar when the microphone disappears mid-utterance, and keeps working', async () => {
      const own = await startVirtualMic();
      const { service, events, placed } = makeService(own);
      await service.start();
      try {
        service.pttStart('button');
        await waitFor(() => events.onVoiceState.some((s) => s.capture === 'listening'), 'listening');
        await own.close();
        await waitFor(() => events.onTranscript.length > 0, 'the failed transcript');
        const failed = events.onTranscript[0] as Transcript;
        expect(failed.rejected).toBe('capture_failed');
        expect(failed.message).toMatch(/microphone stopped in the middle of the utterance/);
        expect(service.status()).toMatchObject({ capture: 'idle', message: failed.message });
        expect(placed).toEqual([]);
        // The rest of the voice subsystem still answers.
        expect(service.say('Filled 10 AAPL.', 'fill').state).toBe('text_only');
      } finally {
        await service.close();
        await own.close();
      }
    }, 60_000);
  },
);

describe('voice without a recorder', () => {
  let service: VoiceService | null = null;
  afterEach(async () => {
    await service?.close();
    service = null;
  });

  it('reports what is missing in the status and doctor, refuses push-to-talk, and keeps alerts as text', async () => {
    const made = makeService(null, {}, { PATH: '/nonexistent' });
    service = made.service;
    const status = service.status();
    expect(status.capture).toBe('unavailable');
    expect(status.message).toMatch(/No audio recorder is installed/);
    expect(() => service?.pttStart('key')).toThrow(AppError);
    try {
      service.pttStart('key');
    } catch (error) {
      expect((error as AppError).code).toBe('UNAVAILABLE');
    }
    const doctor = service.doctorChecks();
    expect(doctor.find((c) => c.name === 'Voice capture')).toMatchObject({ status: 'missing' });
    expect(doctor.find((c) => c.name === 'Spoken alerts')).toMatchObject({ status: 'missing' });
    expect(service.say('Filled 10 AAPL at 192 dollars.', 'fill')).toMatchObject({ state: 'text_only' });
    expect(made.events.onSpeech.at(-1)?.reason).toBe('No speech engine configured');
  });
});
