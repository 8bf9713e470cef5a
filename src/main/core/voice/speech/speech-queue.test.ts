import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpeechEvent } from '../../../../shared/domain/voice';
import { which } from '../../doctor/which';
import { startVirtualMic, type VirtualMic, virtualMicAvailability } from '../testing/virtual-mic';
import { EspeakEngine } from './espeak-engine';
import { SpeechQueue } from './speech-queue';

const canSpeak = which('espeak-ng') !== null && virtualMicAvailability().ok;

function collector() {
  const events: SpeechEvent[] = [];
  const waiters: { test: (e: SpeechEvent) => boolean; resolve: (e: SpeechEvent) => void }[] = [];
  return {
    events,
    emit(event: SpeechEvent) {
      events.push(event);
      for (const w of [...waiters]) {
        if (w.test(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    },
    when(test: (e: SpeechEvent) => boolean): Promise<SpeechEvent> {
      const seen = events.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
    spokenOrder: () => events.filter((e) => e.state === 'speaking').map((e) => e.text),
  };
}

describe('SpeechQueue without an engine', () => {
  it('keeps every message as text and says why', () => {
    const c = collector();
    const queue = new SpeechQueue({
      engine: null,
      unavailableReason: 'No speech engine: espeak-ng is not installed',
      emit: c.emit,
    });
    const event = queue.say({ text: 'Filled 10 AAPL at 192.', kind: 'fill' });
    expect(event.state).toBe('text_only');
    expect(event.reason).toBe('No speech engine: espeak-ng is not installed');
    expect(queue.silentReason).toMatch(/not installed/);
  });
});

describe.skipIf(!canSpeak)('SpeechQueue with espeak-ng (needs espeak-ng and pulseaudio)', () => {
  let mic: VirtualMic;
  beforeAll(async () => {
    mic = await startVirtualMic();
  }, 20_000);
  afterAll(async () => {
    await mic?.close();
  });

  it('speaks fills and risk before decisions, decisions before information, and coalesces by subject', async () => {
    const c = collector();
    const queue = new SpeechQueue({
      engine: new EspeakEngine({ env: mic.env, wpm: 320 }),
      emit: c.emit,
      verbosity: 'verbose',
    });
    queue.hold(); // as if push-to-talk were held: everything waits
    queue.say({ text: 'Information one.', kind: 'info' });
    queue.say({ text: 'Decision AAPL buy.', kind: 'decision', key: 'decision:AAPL' });
    queue.say({ text: 'Decision TSLA sell.', kind: 'decision', key: 'decision:TSLA' });
    queue.say({ text: 'Decision AAPL hold.', kind: 'decision', key: 'decision:AAPL' });
    queue.say({ text: 'Filled 10 AAPL.', kind: 'fill' });
    queue.say({ text: 'Risk: drawdown limit near.', kind: 'risk' });
    expect(c.events.find((e) => e.text === 'Decision AAPL buy.' && e.state === 'dropped')?.reason).toMatch(
      /superseded/,
    );
    const listen = mic.listen();
    queue.release();
    await c.when((e) => e.text === 'Information one.' && (e.state === 'done' || e.state === 'failed'));
    await listen.stop();
    expect(c.spokenOrder()).toEqual([
      'Filled 10 AAPL.',
      'Risk: drawdown limit near.',
      'Decision TSLA sell.',
      'Decision AAPL hold.',
      'Information one.',
    ]);
    expect(c.events.filter((e) => e.state === 'failed')).toEqual([]);
  }, 60_000);

  it('push-to-talk interrupts speech, and a fill interrupts a decision', async () => {
    const c = collector();
    const queue = new SpeechQueue({ engine: new EspeakEngine({ env: mic.env, wpm: 120 }), emit: c.emit });
    queue.say({
      text: 'A long decision explanation that goes on and on about moving averages and momentum.',
      kind: 'decision',
    });
    await c.when((e) => e.state === 'speaking');
    queue.hold();
    expect(c.events.at(-1)).toMatchObject({ state: 'interrupted', reason: 'push-to-talk' });
    expect(queue.speaking).toBe(false);
    queue.release();

    queue.say({
      text: 'Another long decision that talks about volume and the trend for quite a while.',
      kind: 'decision',
    });
    await c.when((e) => e.state === 'speaking' && e.text.startsWith('Another'));
    queue.say({ text: 'Filled 5 TSLA.', kind: 'fill' });
    await c.when((e) => e.text === 'Filled 5 TSLA.' && e.state === 'done');
    expect(c.events.find((e) => e.text.startsWith('Another') && e.state === 'interrupted')?.reason).toBe(
      'a more urgent message',
    );
  }, 60_000);

  it('drops stale messages, respects verbosity and mute, and never builds a backlog', async () => {
    let now = 1_000_000;
    const c = collector();
    const queue = new SpeechQueue({
      engine: new EspeakEngine({ env: mic.env, wpm: 320 }),
      emit: c.emit,
      now: () => now,
      verbosity: 'quiet',
    });
    expect(queue.say({ text: 'A decision.', kind: 'decision' })).toMatchObject({
      state: 'dropped',
      reason: 'verbosity quiet',
    });
    queue.setVerbosity('normal');
    queue.hold();
    for (let i = 0; i < 6; i++) queue.say({ text: `Decision ${i}.`, kind: 'decision' });
    expect(queue.queued).toBe(2);
    now += 60_000; // the market moved on while push-to-talk was held
    queue.say({ text: 'Filled 1 NVDA.', kind: 'fill' });
    queue.release();
    await c.when((e) => e.text === 'Filled 1 NVDA.' && e.state === 'done');
    expect(c.events.filter((e) => e.reason === 'stale').map((e) => e.text)).toEqual(['Decision 4.', 'Decision 5.']);
    queue.setMuted(true);
    expect(queue.say({ text: 'Filled 2 NVDA.', kind: 'fill' })).toMatchObject({ state: 'dropped', reason: 'muted' });
  }, 60_000);
});
