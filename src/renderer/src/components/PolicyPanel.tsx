import { type FormEvent, useEffect, useMemo, useState } from 'react';
import type { Position } from '../../../shared/domain/broker';
import type { SeriesInfo, Timeframe } from '../../../shared/domain/market';
import type { Performance, PolicyAction, PolicyStatus } from '../../../shared/domain/policy';
import type { Progress } from '../../../shared/domain/progress';
import { api } from '../api';
import { pushNotice } from '../desk/notice-store';
import { useLiveQuery } from '../desk/use-live-query';
import { formatCount } from '../engine-format';
import { useEvent } from '../hooks';
import { formatMarketTime, type MarketZone } from '../market-time';
import { ProgressBar } from './ProgressBar';
import { QValueBars } from './QValueBars';

/** The policy's actions are read this often while the panel is shown: each new bar may change them. */
const ACTIONS_POLL_MS = 3_000;
const DEFAULT_EPISODES = 200;
const DEFAULT_SEED = 7;

const ACTION_TEXT: Record<PolicyAction, string> = { short: 'Short', flat: 'Flat', long: 'Long' };

interface PolicyPanelProps {
  visible: boolean;
  /** The replay's symbols, whose states the policy is asked about. */
  symbols: readonly string[];
  /** The replay's bar timeframe: the states are built from these bars. */
  timeframe: Timeframe | null;
  positions: readonly Position[];
  zone: MarketZone;
  policy: { status: PolicyStatus | null; error: string | null; reload: () => void };
}

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

function PerformanceRow({ label, perf }: { label: string; perf: Performance | null }) {
  if (!perf) return null;
  return (
    <tr>
      <td>{label}</td>
      <td className={`num ${perf.totalReturn >= 0 ? 'up' : 'down'}`}>{pct(perf.totalReturn)}</td>
      <td className="num">{perf.sharpe.toFixed(2)}</td>
      <td className="num">{(perf.maxDrawdown * 100).toFixed(1)}%</td>
      <td className="num">{formatCount(perf.trades)}</td>
      <td className="num">{formatCount(perf.bars)}</td>
    </tr>
  );
}

/**
 * The DQN policy: its model (version, origin, execution provider, warnings, training metrics), its action and
 * Q-values for each symbol of the replay at the latest bar (given the position the account holds), and retraining
 * on imported bars in the background, with progress, cancellation, and a way back to the shipped model. Without a
 * usable model it says so, and the rest of the desk carries on.
 */
export function PolicyPanel({ visible, symbols, timeframe, positions, zone, policy }: PolicyPanelProps) {
  const { status, error: statusError } = policy;
  const positionsBySymbol = useMemo(() => {
    const map: Record<string, PolicyAction> = {};
    for (const p of positions) if (p.qty !== 0) map[p.symbol] = p.qty > 0 ? 'long' : 'short';
    return map;
  }, [positions]);
  const positionsKey = JSON.stringify(positionsBySymbol);
  const canAsk = visible && symbols.length > 0 && timeframe !== null && status?.available === true;
  const actions = useLiveQuery(
    () =>
      api.policy.actions({
        symbols: [...symbols],
        ...(timeframe ? { timeframe } : {}),
        positions: positionsBySymbol,
      }),
    {
      intervalMs: ACTIONS_POLL_MS,
      enabled: canAsk,
      deps: [symbols.join(','), timeframe, positionsKey, status?.version],
    },
  );

  const [switching, setSwitching] = useState(false);
  const backToShipped = async () => {
    setSwitching(true);
    const result = await api.policy.reload({ useDefault: true });
    setSwitching(false);
    if (!result.ok) pushNotice('error', `The shipped model did not load: ${result.error.message}`);
    else pushNotice('info', `Using the shipped policy model ${result.value.version ?? ''}.`.trim());
    policy.reload();
  };

  const meta = status?.metadata ?? null;
  const metrics = meta?.metrics ?? null;

  return (
    <div className="policy" data-testid="policy-panel">
      {statusError ? <p className="inline-error">Policy status unavailable: {statusError}</p> : null}
      {!status ? (
        <p className="muted">Reading the policy…</p>
      ) : status.available ? (
        <div className="policy-model">
          <p>
            Execution provider <strong data-testid="policy-provider">{status.provider ?? 'unknown'}</strong> ·{' '}
            <span title={status.modelFile ?? undefined}>
              model <strong data-testid="policy-version">{status.version}</strong>
            </span>{' '}
            <span className="muted" data-testid="policy-origin">
              ({status.origin === 'user' ? 'retrained here' : 'shipped with the app'})
            </span>
          </p>
          {meta ? (
            <p className="small-print muted">
              Trained on {meta.data.source} ({formatCount(meta.data.bars)} bars); {metrics?.episodesRun ?? 0} episodes,
              best {metrics?.bestEpisode ?? 0}
              {metrics?.stoppedEarly ? ', stopped early on validation' : ''}.
            </p>
          ) : null}
        </div>
      ) : (
        <p className="policy-off" role="status" data-testid="policy-status">
          The policy is unavailable: {status.error ?? 'no model is loaded'}. The desk works on without it: decisions
          come from the other slots.
        </p>
      )}
      {status && status.warnings.length > 0 ? (
        // Providers skipped and model files that failed to load (a broken retrained model falls back to the shipped
        // one): the trader sees why the desk runs what it runs.
        <ul className="policy-warnings" aria-label="Notes on the model and its provider" data-testid="policy-warnings">
          {status.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}

      {status?.available ? (
        <>
          <h3>
            Actions at the latest bar{timeframe ? ` (${timeframe} bars)` : ''}
            {actions.data ? <span className="muted"> · provider {actions.data.provider}</span> : null}
          </h3>
          {actions.error ? <p className="inline-error">{actions.error}</p> : null}
          {symbols.length === 0 ? (
            <p className="muted">No symbols in the replay.</p>
          ) : !actions.data ? (
            <p className="muted">Asking the policy…</p>
          ) : (
            <table className="grid-table policy-table" data-testid="policy-actions">
              <thead>
                <tr>
                  <th>Symbol</th>
                  <th>Action</th>
                  <th>Q-values (short, flat, long)</th>
                </tr>
              </thead>
              <tbody>
                {actions.data.decisions.map((d) => (
                  <tr key={d.symbol} data-testid={`policy-row-${d.symbol}`}>
                    <td>
                      <strong>{d.symbol}</strong>
                      <div className="small-print muted">
                        {d.position === 'flat' ? 'no position' : `holding ${d.position}`}
                        {d.t !== null
                          ? ` · ${formatMarketTime(d.t, timeframe === '1d' ? 'UTC' : zone, timeframe === '1d')}`
                          : ''}
                      </div>
                    </td>
                    <td>
                      {d.action ? (
                        <span className={`action policy-${d.action}`} data-testid={`policy-action-${d.symbol}`}>
                          {ACTION_TEXT[d.action]}
                        </span>
                      ) : (
                        <span className="muted" data-testid={`policy-action-${d.symbol}`}>
                          none
                        </span>
                      )}
                    </td>
                    <td>
                      {d.action && d.qValues.length === 3 ? (
                        <QValueBars symbol={d.symbol} qValues={d.qValues} chosen={d.action} />
                      ) : (
                        <span className="small-print muted">{d.reason ?? 'No decision.'}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}

      {metrics ? (
        <>
          <h3>Training metrics (with the broker's costs)</h3>
          <table className="grid-table policy-table" data-testid="policy-metrics">
            <thead>
              <tr>
                <th>Period</th>
                <th className="num">Return</th>
                <th className="num">Sharpe</th>
                <th className="num">Max drawdown</th>
                <th className="num">Trades</th>
                <th className="num">Bars</th>
              </tr>
            </thead>
            <tbody>
              <PerformanceRow label="Training" perf={metrics.train} />
              <PerformanceRow label="Validation" perf={metrics.validation} />
            </tbody>
          </table>
        </>
      ) : null}

      <Retrain visible={visible} status={status} />

      {status?.origin === 'user' ? (
        <p className="policy-actions-row">
          <button type="button" className="small" disabled={switching} onClick={() => void backToShipped()}>
            {switching ? 'Loading…' : 'Use shipped model'}
          </button>
          <span className="small-print muted">Deletes the retrained model and goes back to the one shipped.</span>
        </p>
      ) : null}
    </div>
  );
}

/** Retraining on imported bars: which series, seed and episodes; then progress, with a Cancel button. */
function Retrain({ visible, status }: { visible: boolean; status: PolicyStatus | null }) {
  const series = useLiveQuery(() => api.data.series(), { intervalMs: 60_000, enabled: visible });
  useEvent('onSeriesChanged', series.refresh);
  const imported = (series.data ?? []).filter((s) => s.source === 'imported' && s.rows > 0);
  const timeframes = [...new Set(imported.map((s) => s.timeframe))];
  const [chosenTimeframe, setTimeframe] = useState<Timeframe | null>(null);
  const timeframe =
    chosenTimeframe && timeframes.includes(chosenTimeframe)
      ? chosenTimeframe
      : timeframes.includes('1d')
        ? '1d'
        : (timeframes[0] ?? null);
  const available: SeriesInfo[] = imported.filter((s) => s.timeframe === timeframe);
  const [unchecked, setUnchecked] = useState<ReadonlySet<string>>(new Set());
  const chosen = available.filter((s) => !unchecked.has(s.symbol)).map((s) => s.symbol);
  const [seed, setSeed] = useState(String(DEFAULT_SEED));
  const [episodes, setEpisodes] = useState(String(DEFAULT_EPISODES));
  const [progress, setProgress] = useState<Progress | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  useEffect(
    () =>
      api.events.onProgress((p) => {
        // One training runs at a time, whoever started it (this desk, another window, the CLI): show it.
        if (p.kind === 'train') setProgress(p);
      }),
    [],
  );

  const running = progress?.state === 'running' || (!progress && status?.training?.state === 'running');
  const taskId = progress?.taskId ?? status?.training?.taskId;

  const start = async (e: FormEvent) => {
    e.preventDefault();
    const seedN = Number(seed);
    const episodesN = Number(episodes);
    if (!Number.isInteger(seedN) || seedN < 0 || seedN > 0xffff_ffff) {
      setProblem('The seed is a whole number from 0 to 4294967295.');
      return;
    }
    if (!Number.isInteger(episodesN) || episodesN < 1 || episodesN > 5000) {
      setProblem('Episodes is a whole number from 1 to 5,000.');
      return;
    }
    if (!timeframe || chosen.length === 0) {
      setProblem('Choose at least one imported series.');
      return;
    }
    setProblem(null);
    setStarting(true);
    setProgress(null);
    const result = await api.policy.train({
      source: 'imported',
      symbols: chosen,
      timeframe,
      seed: seedN,
      episodes: episodesN,
    });
    setStarting(false);
    if (!result.ok) {
      setProblem(`Training did not start: ${result.error.message}`);
      return;
    }
    // Progress events may have arrived before the reply; if none has, show the start now.
    setProgress(
      (p) =>
        p ?? {
          taskId: result.value.taskId,
          kind: 'train',
          label: `Training the policy on ${chosen.join(', ')}`,
          done: 0,
          total: episodesN,
          unit: 'episodes',
          state: 'running',
        },
    );
  };

  const cancel = async () => {
    setCancelling(true);
    const result = await api.policy.cancelTraining(taskId ? { taskId } : undefined);
    setCancelling(false);
    if (!result.ok) setProblem(`Training was not cancelled: ${result.error.message}`);
    else if (!result.value.cancelled) setProblem('No training was running.');
  };

  return (
    <section className="retrain" aria-label="Retrain the policy">
      <h3>Retrain on imported data</h3>
      {series.error ? <p className="inline-error">{series.error}</p> : null}
      {imported.length === 0 ? (
        <p className="muted small-print" data-testid="retrain-no-data">
          No imported bars yet. Import daily bars (Import data… in the top bar) to retrain the policy on real data.
        </p>
      ) : (
        <form className="retrain-form" onSubmit={(e) => void start(e)}>
          <div className="retrain-row">
            <label className="field">
              Timeframe
              <select
                aria-label="Training timeframe"
                value={timeframe ?? ''}
                onChange={(e) => setTimeframe(e.target.value as Timeframe)}
                disabled={running}
              >
                {timeframes.map((tf) => (
                  <option key={tf} value={tf}>
                    {tf}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Seed
              <input
                type="number"
                aria-label="Training seed"
                value={seed}
                min={0}
                onChange={(e) => setSeed(e.target.value)}
                disabled={running}
              />
            </label>
            <label className="field">
              Episodes (at most)
              <input
                type="number"
                aria-label="Training episodes"
                value={episodes}
                min={1}
                max={5000}
                onChange={(e) => setEpisodes(e.target.value)}
                disabled={running}
              />
            </label>
          </div>
          <fieldset className="retrain-series" disabled={running}>
            <legend className="small-print muted">Series</legend>
            {available.map((s) => (
              <label key={s.symbol} className="check">
                <input
                  type="checkbox"
                  checked={!unchecked.has(s.symbol)}
                  onChange={(e) => {
                    const next = new Set(unchecked);
                    if (e.target.checked) next.delete(s.symbol);
                    else next.add(s.symbol);
                    setUnchecked(next);
                  }}
                />
                {s.symbol} <span className="muted">({formatCount(s.rows)} bars)</span>
              </label>
            ))}
          </fieldset>
          <div className="retrain-row">
            <button type="submit" className="primary small" disabled={running || starting || chosen.length === 0}>
              {starting ? 'Starting…' : 'Retrain'}
            </button>
            <span className="small-print muted">
              Runs in the background; the model in use changes only when training finishes well.
            </span>
          </div>
        </form>
      )}
      {problem ? (
        <p className="inline-error" role="alert">
          {problem}
        </p>
      ) : null}
      {progress ? (
        <div className="retrain-progress" data-testid="train-progress" data-state={progress.state}>
          <ProgressBar progress={progress} />
        </div>
      ) : running ? (
        <p className="muted">{status?.training?.message ?? 'Training is running…'}</p>
      ) : status?.training && status.training.state !== 'running' ? (
        <p className="small-print muted" data-testid="train-last">
          Last training: {status.training.state} — {status.training.message}
        </p>
      ) : null}
      {running ? (
        <button type="button" className="danger small" disabled={cancelling} onClick={() => void cancel()}>
          {cancelling ? 'Cancelling…' : 'Cancel training'}
        </button>
      ) : null}
    </section>
  );
}
