import { afterEach, describe, expect, it } from 'vitest';
import type { RecorderName } from '../../../../shared/domain/voice';
import { startVirtualMic, type VirtualMic, virtualMicAvailability } from '../testing/virtual-mic';
import { type CaptureEnd, chooseRecorder, driverForDevice, levelOf, noRecorderMessage, startCapture } from './recorder';

describe('choosing a recorder', () => {
  it('finds none on an empty PATH and says what to install', () => {
    expect(chooseRecorder('auto', { PATH: '' })).toBeNull();
    expect(noRecorderMessage('auto')).toMatch(/sox .*arecord.*Typing works/);
    expect(noRecorderMessage('arecord')).toMatch(/arecord\) is not installed/);
  });

  it('maps device names to the driver that owns them', () => {
    expect(driverForDevice('hw:1,0')).toBe('alsa');
    expect(driverForDevice('plughw:CARD=USB,DEV=0')).toBe('alsa');
    expect(driverForDevice('default')).toBe('alsa');
    expect(driverForDevice('alsa_input.usb-mic.analog-mono')).toBe('pulseaudio');
  });

  it('turns sample power into a meter reading', () => {
    expect(levelOf(0, 0, 10)).toEqual({ rmsDb: -100, peakDb: -100, level: 0, elapsedMs: 10 });
    expect(levelOf(0.25, 1, 10)).toMatchObject({ rmsDb: -6, peakDb: 0, level: 0.9 });
  });
});

const installed = (['sox', 'rec', 'arecord'] as const).filter((name) => chooseRecorder(name) !== null);
const harness = virtualMicAvailability();

describe.skipIf(!harness.ok || installed.length === 0)(
  `capture from the virtual microphone (needs pulseaudio and a recorder; missing: ${harness.missing.join(', ') || 'none'})`,
  () => {
    let mic: VirtualMic | null = null;
    afterEach(async () => {
      await mic?.close();
      mic = null;
    });

    /** One second of a 440 Hz tone. */
    const tone = () => {
      const pcm = Buffer.alloc(16_000 * 2);
      for (let i = 0; i < 16_000; i++)
        pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)), i * 2);
      return pcm;
    };

    it.each(installed)(
      '%s records what is played into the microphone, and stopping it is not an error',
      async (name) => {
        mic = await startVirtualMic();
        const chunks: Buffer[] = [];
        const failures: string[] = [];
        let listening = false;
        let levels = 0;
        const capture = startCapture({
          recorder: chooseRecorder(name as RecorderName) as NonNullable<ReturnType<typeof chooseRecorder>>,
          device: mic.source,
          sampleRateHz: 16_000,
          maxUtteranceMs: 10_000,
          env: mic.env,
          onData: (pcm) => chunks.push(pcm),
          onListening: () => {
            listening = true;
          },
          onLevel: () => {
            levels++;
          },
          onFailure: (message) => failures.push(message),
        });
        while (!listening) await new Promise((r) => setTimeout(r, 5));
        await mic.play(tone());
        const end = await capture.stop();
        expect(failures).toEqual([]);
        expect(end.reason).toBe('released');
        expect(end.startupMs).toBeGreaterThan(0);
        const audio = Buffer.concat(chunks);
        let loud = 0;
        for (let i = 0; i < audio.length; i += 2) if (Math.abs(audio.readInt16LE(i)) > 4000) loud++;
        // At least 0.9 s of the 1 s tone came through (the monitor without norewinds kept about 0.3 s of 2 s).
        expect(loud / 16_000).toBeGreaterThan(0.9 * (2 / Math.PI) * 0.9);
        expect(levels).toBeGreaterThan(5);
      },
      30_000,
    );

    it('reports a device that does not exist, without crashing', async () => {
      mic = await startVirtualMic();
      const failed = new Promise<string>((resolve) => {
        startCapture({
          recorder: chooseRecorder(installed[0] as RecorderName) as NonNullable<ReturnType<typeof chooseRecorder>>,
          device: 'swaggy_no_such_source',
          sampleRateHz: 16_000,
          maxUtteranceMs: 10_000,
          env: (mic as VirtualMic).env,
          onData: () => {},
          onFailure: resolve,
        });
      });
      expect(await failed).toMatch(/could not open the input device.*check the device in settings/);
    }, 30_000);

    it('reports a device that disappears mid-utterance, without crashing', async () => {
      mic = await startVirtualMic();
      let listening = false;
      let failure: string | null = null;
      const capture = startCapture({
        recorder: chooseRecorder(installed[0] as RecorderName) as NonNullable<ReturnType<typeof chooseRecorder>>,
        device: mic.source,
        sampleRateHz: 16_000,
        maxUtteranceMs: 10_000,
        env: mic.env,
        onData: () => {},
        onListening: () => {
          listening = true;
        },
        onFailure: (message) => {
          failure = message;
        },
      });
      while (!listening) await new Promise((r) => setTimeout(r, 5));
      await mic.close(); // the sound server (and with it the device) goes away
      mic = null;
      for (let i = 0; i < 100 && failure === null; i++) await new Promise((r) => setTimeout(r, 20));
      expect(failure).toMatch(/stopped in the middle of the utterance/);
      const end: CaptureEnd = await capture.stop();
      expect(end.reason).toBe('failed');
    }, 30_000);

    it('stops by itself at the maximum length', async () => {
      mic = await startVirtualMic();
      const reached = new Promise<void>((resolve) => {
        startCapture({
          recorder: chooseRecorder(installed[0] as RecorderName) as NonNullable<ReturnType<typeof chooseRecorder>>,
          device: (mic as VirtualMic).source,
          sampleRateHz: 16_000,
          maxUtteranceMs: 1000,
          env: (mic as VirtualMic).env,
          onData: () => {},
          onMaxLength: resolve,
        });
      });
      await reached;
    }, 30_000);
  },
);
