import { useCallback, useEffect, useRef, useState } from 'react';
import type { Transcript, Verbosity, VoiceDevice, VoiceLevel, VoiceStatus } from '../../../shared/domain/voice';
import { api } from '../api';
import { isTextField } from '../desk/text-field';
import { useEvent } from '../hooks';

const STATE_TEXT: Record<VoiceStatus['capture'], string> = {
  idle: 'Hold Space (or the button) and speak',
  starting: 'Starting the microphone… speak when it says "Listening"',
  listening: 'Listening…',
  recognising: 'Recognising…',
  unavailable: 'Voice input unavailable',
};

/**
 * The voice bar: push-to-talk (hold Space when no text field has focus, or hold the button), the input level, what
 * was recognised, the read-back of a spoken order with Confirm and Cancel, and the speech controls. Every problem
 * (no recorder, no device, no speech engine) is said here in words, and the rest of the desk keeps working.
 */
export function VoiceBar() {
  const [status, setStatus] = useState<VoiceStatus | null>(null);
  const [level, setLevel] = useState<VoiceLevel | null>(null);
  const [transcript, setTranscript] = useState<Transcript | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [devices, setDevices] = useState<VoiceDevice[] | null>(null);
  const holding = useRef(false);

  useEffect(() => {
    let live = true;
    api.voice.status().then((r) => {
      if (!live) return;
      if (r.ok) setStatus(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, []);
  useEvent('onVoiceState', setStatus);
  useEvent('onVoiceLevel', setLevel);
  useEvent('onTranscript', (t) => {
    setTranscript(t);
    setLevel(null);
  });

  const start = useCallback(async (source: 'key' | 'button') => {
    if (holding.current) return;
    holding.current = true;
    setError(null);
    const r = await api.voice.pttStart({ source });
    if (!r.ok) {
      holding.current = false;
      setError(r.error.message);
    }
  }, []);
  const stop = useCallback(async () => {
    if (!holding.current) return;
    holding.current = false;
    const r = await api.voice.pttStop();
    if (!r.ok) setError(r.error.message);
  }, []);

  // Space is push-to-talk only when no text field has focus (typing a space must stay typing).
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.code !== 'Space' || isTextField(e.target as Element | null)) return;
      e.preventDefault();
      if (!e.repeat) void start('key');
    };
    const up = (e: KeyboardEvent) => {
      if (e.code !== 'Space' || !holding.current) return;
      e.preventDefault();
      void stop();
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', stop);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', stop);
    };
  }, [start, stop]);

  const setSetting = async (key: 'voice.muted' | 'voice.verbosity' | 'voice.inputDevice', value: unknown) => {
    const r = await api.settings.set({ key, value });
    if (!r.ok) setError(r.error.message);
  };
  // Devices come and go (a headset plugged in): the list is read when the picker is opened, not once.
  const loadDevices = useCallback(async () => {
    const r = await api.voice.devices();
    if (r.ok) setDevices(r.value);
    else setError(r.error.message);
  }, []);
  useEffect(() => {
    void loadDevices();
  }, [loadDevices]);

  const capture = status?.capture ?? 'idle';
  const pending = status?.pending ?? null;
  const active = capture === 'starting' || capture === 'listening' || capture === 'recognising';
  const problem = error ?? (capture === 'unavailable' ? status?.message : null);
  return (
    <section className={`voice-bar voice-${capture}`} aria-label="Voice bar" data-area="voice">
      <button
        type="button"
        className={`ptt ${active ? 'ptt-active' : ''}`}
        aria-pressed={active}
        disabled={capture === 'unavailable'}
        onPointerDown={(e) => {
          e.preventDefault();
          void start('button');
        }}
        onPointerUp={() => void stop()}
        onPointerLeave={() => void stop()}
        title="Hold to talk (or hold Space)"
      >
        <MicIcon /> Hold to talk
      </button>
      <meter
        className="voice-meter"
        aria-label="Input level"
        min={0}
        max={1}
        value={active ? (level?.level ?? 0) : 0}
      />
      {pending && !problem && capture === 'idle' ? null : (
        <span className="voice-state" data-testid="voice-state">
          {problem ? <span className="voice-problem">{problem}</span> : STATE_TEXT[capture]}
        </span>
      )}
      {transcript && !pending ? (
        <span className="voice-transcript" data-testid="voice-transcript" title={`heard: "${transcript.text}"`}>
          {transcript.command ? `“${transcript.message}”` : transcript.message}
          <span className="voice-meta">
            {' '}
            ({Math.round(transcript.releaseToResultMs)} ms
            {transcript.command ? `, ${Math.round(transcript.confidence * 100)}%` : ''})
          </span>
        </span>
      ) : null}
      {pending ? (
        <span className="voice-readback" data-testid="voice-readback">
          <span className="voice-readback-text" title={pending.readBack}>
            {pending.readBack}
          </span>
          {pending.warnings.map((w) => (
            <span key={w} className="voice-warning">
              {w}
            </span>
          ))}
          <button
            type="button"
            className="primary voice-action"
            onClick={() => void api.voice.confirm({ id: pending.id })}
          >
            Confirm
          </button>
          <button type="button" className="voice-action" onClick={() => void api.voice.cancel({ id: pending.id })}>
            Cancel
          </button>
        </span>
      ) : null}
      <span className="voice-controls">
        <span className="voice-engine" data-testid="voice-engine" title={status?.speech.detail}>
          {status
            ? status.speech.available
              ? `Voice: ${status.speech.name}`
              : `Alerts as text only: ${status.speech.detail}`
            : ''}
        </span>
        <select
          aria-label="Input device"
          className="voice-device"
          title={status?.recorder.detail}
          value={status?.recorder.device ?? ''}
          onFocus={() => void loadDevices()}
          onChange={(e) => void setSetting('voice.inputDevice', e.target.value === '' ? null : e.target.value)}
        >
          <option value="">Mic: default device</option>
          {deviceOptions(devices, status?.recorder.device ?? null).map((d) => (
            <option key={d.id} value={d.id}>
              Mic: {d.label}
            </option>
          ))}
        </select>
        <label className="check">
          <input
            type="checkbox"
            checked={status?.speech.muted ?? false}
            onChange={(e) => void setSetting('voice.muted', e.target.checked)}
          />
          Mute
        </label>
        <select
          aria-label="Spoken alerts"
          value={status?.speech.verbosity ?? 'normal'}
          onChange={(e) => void setSetting('voice.verbosity', e.target.value as Verbosity)}
        >
          <option value="quiet">Quiet: fills and warnings</option>
          <option value="normal">Normal: and decisions</option>
          <option value="verbose">Verbose: everything</option>
        </select>
      </span>
    </section>
  );
}

/** The devices to offer, keeping the chosen one listed even when it is unplugged (so the picker shows the truth). */
function deviceOptions(devices: VoiceDevice[] | null, chosen: string | null): { id: string; label: string }[] {
  const list = (devices ?? []).map((d) => ({ id: d.id, label: d.label }));
  if (chosen && !list.some((d) => d.id === chosen)) list.push({ id: chosen, label: `${chosen} (not found)` });
  return list;
}

/** A microphone drawn in SVG: emoji fonts are not on every desk (Debian's Chromium shows a box without one). */
function MicIcon() {
  return (
    <svg className="mic-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <rect x="5.5" y="1" width="5" height="9" rx="2.5" fill="currentColor" />
      <path d="M3 7.5a5 5 0 0 0 10 0M8 12.5V15M5.5 15h5" fill="none" stroke="currentColor" strokeWidth="1.4" />
    </svg>
  );
}
