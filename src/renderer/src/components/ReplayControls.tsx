import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { ReplayState } from '../../../shared/contract/market';
import type { Result } from '../../../shared/result';
import { api } from '../api';
import { FrameBatcher } from '../desk/frame-batcher';
import { pushNotice } from '../desk/notice-store';
import { formatMarketClock, formatMarketDate, type MarketZone, zonedToUtc } from '../market-time';

/** Speeds offered: real time up to the fastest paced speed, and 'max' (as fast as the machine goes). */
const SPEEDS: readonly (number | 'max')[] = [1, 10, 60, 600, 3600, 10_000, 'max'];

function speedLabel(speed: number | 'max'): string {
  return speed === 'max' ? 'max' : `${speed.toLocaleString('en-US')}×`;
}

interface ReplayControlsProps {
  state: ReplayState;
  zone: MarketZone;
  /** Takes the state a command answered with; `jump` when the market moved to another time (seek). */
  onState: (state: ReplayState, jump?: boolean) => void;
}

/** The market clock, advanced by `onTicks` between replay state changes, redrawn at most once a frame. */
function MarketClock({ state, zone }: { state: ReplayState; zone: MarketZone }) {
  const ref = useRef<HTMLSpanElement>(null);
  const latest = useRef(state.marketT);
  useEffect(() => {
    latest.current = state.marketT;
    if (ref.current) ref.current.textContent = formatMarketClock(state.marketT, zone);
  }, [state.marketT, zone]);
  useEffect(() => {
    const batcher = new FrameBatcher(() => {
      if (ref.current) ref.current.textContent = formatMarketClock(latest.current, zone);
    });
    const off = api.events.onTicks(({ marketT }) => {
      if (marketT === latest.current) return;
      latest.current = marketT;
      batcher.schedule();
    });
    return () => {
      off();
      batcher.dispose();
    };
  }, [zone]);
  return (
    <span className="market-clock" data-testid="market-time" ref={ref} title="Market time of the replay">
      {formatMarketClock(state.marketT, zone)}
    </span>
  );
}

/**
 * Replay controls for the top bar: play/pause, one bar, speed, seek to a date, and the market clock. Going back in
 * time restarts the paper account (the engine's rule), so a seek backwards asks first.
 */
export function ReplayControls({ state, zone, onState }: ReplayControlsProps) {
  const [busy, setBusy] = useState(false);
  const [date, setDate] = useState(() => formatMarketDate(state.marketT, zone));
  const [time, setTime] = useState(zone === 'UTC' ? '00:00' : '09:30');
  const [confirmBack, setConfirmBack] = useState<number | null>(null);
  const session = `${state.source}|${state.symbols.join(',')}|${state.firstT}`;
  const marketTRef = useRef(state.marketT);
  marketTRef.current = state.marketT;

  // A new session starts the seek field at its own market date.
  // biome-ignore lint/correctness/useExhaustiveDependencies: session is the trigger; the time is read through a ref
  useEffect(() => {
    setDate(formatMarketDate(marketTRef.current, zone));
    setConfirmBack(null);
  }, [session, zone]);

  const run = async (command: () => Promise<Result<ReplayState>>, failure: string, jump = false) => {
    setBusy(true);
    const result = await command();
    setBusy(false);
    if (result.ok) onState(result.value, jump);
    else pushNotice('error', `${failure}: ${result.error.message}`);
    return result.ok;
  };

  const seekTo = async (t: number) => {
    setConfirmBack(null);
    await run(() => api.replay.seek({ t }), 'Could not seek', true);
  };

  const onSeek = (e: FormEvent) => {
    e.preventDefault();
    const t = zonedToUtc(date, time, zone);
    if (t === null) {
      pushNotice('error', 'Choose a date (and a time) to seek to.');
      return;
    }
    if (t < state.marketT) {
      setConfirmBack(t);
      return;
    }
    void seekTo(t);
  };

  const speedValue = String(state.speed);
  const speeds = SPEEDS.some((s) => String(s) === speedValue) ? SPEEDS : [...SPEEDS, state.speed];
  const slow =
    state.playing && state.speed !== 'max' && state.effectiveSpeed !== null && state.effectiveSpeed < state.speed * 0.8;

  return (
    <fieldset className="replay-controls" aria-label="Replay controls">
      {state.playing ? (
        <button type="button" onClick={() => void run(() => api.replay.pause(), 'Could not pause')} disabled={busy}>
          ❚❚ Pause
        </button>
      ) : (
        <button
          type="button"
          onClick={() => void run(() => api.replay.play(), 'Could not play')}
          disabled={busy || state.ended}
          title={state.ended ? 'The data has ended: seek to an earlier date to play again' : undefined}
        >
          ▶ Play
        </button>
      )}
      <button
        type="button"
        onClick={() => void run(() => api.replay.step(), 'Could not step')}
        disabled={busy || state.ended}
        aria-label="Step one bar"
        title="Step one bar"
      >
        Step ▸
      </button>
      <label className="inline-field">
        <span>Speed</span>
        <select
          aria-label="Replay speed"
          value={speedValue}
          onChange={(e) => {
            const v = e.target.value;
            const speed = v === 'max' ? 'max' : Number(v);
            void run(() => api.replay.setSpeed({ speed }), 'Could not change the speed');
          }}
        >
          {speeds.map((s) => (
            <option key={String(s)} value={String(s)}>
              {speedLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <MarketClock state={state} zone={zone} />
      {slow ? (
        <span className="muted" title="This machine cannot keep up with the chosen speed">
          ≈{Math.round(state.effectiveSpeed ?? 0).toLocaleString('en-US')}×
        </span>
      ) : null}
      {state.ended ? <span className="warn-text">End of data</span> : null}
      <form className="seek" onSubmit={onSeek}>
        <input
          type="date"
          aria-label="Seek to date"
          value={date}
          min={formatMarketDate(state.firstT, zone)}
          max={state.lastT === null ? undefined : formatMarketDate(state.lastT - 1, zone)}
          onChange={(e) => {
            setDate(e.target.value);
            setConfirmBack(null);
          }}
        />
        {state.timeframe === '1d' ? null : (
          <input
            type="time"
            aria-label="Seek to time"
            value={time}
            onChange={(e) => {
              setTime(e.target.value);
              setConfirmBack(null);
            }}
          />
        )}
        <button type="submit" disabled={busy}>
          Go
        </button>
      </form>
      {confirmBack !== null ? (
        <div className="seek-confirm" role="alert">
          <span>Going back in time restarts the paper account.</span>
          <button type="button" className="danger" onClick={() => void seekTo(confirmBack)}>
            Go back and restart
          </button>
          <button type="button" onClick={() => setConfirmBack(null)}>
            Stay
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}
