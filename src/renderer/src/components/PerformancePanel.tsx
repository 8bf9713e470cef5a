import { type FormEvent, useEffect, useState } from 'react';
import type { EngineStats } from '../../../shared/contract/engine';
import type { CacheStats, LatencySummary } from '../../../shared/domain/cache';
import { err, ok, type Result } from '../../../shared/result';
import { api } from '../api';
import { pushNotice } from '../desk/notice-store';
import { useLiveQuery } from '../desk/use-live-query';
import { formatBytes, formatCount, formatLatencyUs, formatRatio } from '../engine-format';
import { LinePlot } from './LinePlot';

/** The engine and cache metrics are read this often while the panel is shown (the samples are one a second). */
const STATS_POLL_MS = 1_000;
const PLOT_HEIGHT = 84;

const NAMESPACE_LABELS: Record<string, string> = {
  market_data: 'Market data',
  pattern: 'Patterns',
  decision: 'Decisions',
  market_insight: 'Market insight',
  model_analysis: 'Model analysis',
};

const CLASS_LABELS: Record<string, string> = {
  user: 'Your questions',
  decode: 'Per-bar decisions',
  background: 'Background work',
};

interface Snapshot {
  engine: EngineStats;
  cache: CacheStats;
}

async function loadSnapshot(): Promise<Result<Snapshot>> {
  const [engine, cache] = await Promise.all([api.engine.stats(), api.cache.stats()]);
  if (!engine.ok) return err(engine.error.code, engine.error.message);
  if (!cache.ok) return err(cache.error.code, cache.error.message);
  return ok({ engine: engine.value, cache: cache.value });
}

function Percentiles({ latency, testId }: { latency: LatencySummary; testId?: string }) {
  return (
    <>
      <td className="num" data-testid={testId ? `${testId}-p50` : undefined}>
        {latency.count > 0 ? formatLatencyUs(latency.p50Us) : '—'}
      </td>
      <td className="num">{latency.count > 0 ? formatLatencyUs(latency.p95Us) : '—'}</td>
      <td className="num">{latency.count > 0 ? formatLatencyUs(latency.p99Us) : '—'}</td>
    </>
  );
}

/**
 * The decision SLO setting (`engine.sloMs`): per-bar decisions predicted to miss it are deferred or dropped under
 * load. The engine reads it when it starts, so a new value is saved and shown as pending until then.
 */
function SloSetting({ activeMs }: { activeMs: number }) {
  const [saved, setSaved] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.settings.get({ key: 'engine.sloMs' }).then((r) => {
      if (live && r.ok && typeof r.value.value === 'number') {
        setSaved(r.value.value);
        setText(String(r.value.value));
      }
    });
    return () => {
      live = false;
    };
  }, []);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || value > 10_000) {
      setProblem('The SLO is a number of milliseconds above 0 and at most 10,000.');
      return;
    }
    const result = await api.settings.set({ key: 'engine.sloMs', value });
    if (!result.ok) {
      setProblem(result.error.message);
      return;
    }
    setProblem(null);
    setSaved(value);
  };
  return (
    <form className="slo-form" onSubmit={(e) => void save(e)}>
      <label className="inline-field">
        Decision SLO
        <input
          type="number"
          aria-label="Decision SLO in milliseconds"
          min={0.1}
          step="any"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        ms
      </label>
      <button type="submit" className="small" disabled={text === '' || Number(text) === saved}>
        Save
      </button>
      {saved !== null && saved !== activeMs ? (
        <span className="small-print warn-text" data-testid="slo-pending">
          {saved} ms is saved; the engine uses it from its next start (now {activeMs} ms).
        </span>
      ) : null}
      {problem ? <span className="small-print down">{problem}</span> : null}
    </form>
  );
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

/**
 * The performance panel: live plots of the last two minutes (throughput, p99 latency, hit rate), latency
 * percentiles per slot and overall, the admission controller's counters (deferred, coalesced, rejected, missed
 * SLO), and the pattern cache per tier and namespace, with a button to empty it.
 */
export function PerformancePanel({ visible }: { visible: boolean }) {
  const { data, error, refresh } = useLiveQuery(loadSnapshot, { intervalMs: STATS_POLL_MS, enabled: visible });
  const [confirmClear, setConfirmClear] = useState(false);
  const [clearing, setClearing] = useState(false);

  const clearCache = async () => {
    setConfirmClear(false);
    setClearing(true);
    const result = await api.cache.clear();
    setClearing(false);
    if (result.ok) {
      pushNotice(
        'info',
        `Pattern cache cleared: ${formatCount(result.value.removed)} entr${result.value.removed === 1 ? 'y' : 'ies'} removed. Each slot computes again on its next use.`,
      );
    } else {
      pushNotice('error', `The cache was not cleared: ${result.error.message}`);
    }
    refresh();
  };

  if (!data) {
    return <p className={error ? 'inline-error' : 'muted'}>{error ?? 'Reading the engine’s metrics…'}</p>;
  }
  const { engine, cache } = data;
  const samples = engine.samples;
  const lastT = samples.at(-1)?.t ?? 0;
  const ago = (t: number) => (t >= lastT ? 'now' : `${Math.round((lastT - t) / 1000)} s ago`);
  const a = engine.admission;
  const classes = [...new Set([...Object.keys(a.submitted), ...Object.keys(a.rejected), ...Object.keys(a.missed)])];

  return (
    <div className="perf" data-testid="performance-panel">
      {error ? <p className="inline-error">{error}</p> : null}
      <dl className="perf-summary">
        <dt>Questions answered</dt>
        <dd data-testid="perf-queries-count">{formatCount(engine.queries.count)}</dd>
        <dt>Per-bar decisions</dt>
        <dd data-testid="perf-decisions-count">{formatCount(engine.decisions.count)}</dd>
        <dt>Slot results from the cache</dt>
        <dd data-testid="perf-hit-rate">{formatRatio(engine.hitRate)}</dd>
        <dt>Decision SLO</dt>
        <dd>
          {engine.sloMs} ms · {engine.mode === 'cached' ? 'pattern cache on' : 'cache off (traditional)'}
        </dd>
      </dl>
      <SloSetting activeMs={engine.sloMs} />

      <div className="perf-plots">
        <div data-testid="perf-plot-throughput">
          <LinePlot
            title="Throughput, per second (last two minutes)"
            height={PLOT_HEIGHT}
            series={[
              { name: 'questions', color: '#4fb3ff', points: samples.map((s) => ({ x: s.t, y: s.queriesPerSec })) },
              { name: 'decisions', color: '#f0b429', points: samples.map((s) => ({ x: s.t, y: s.decisionsPerSec })) },
              { name: 'rejected', color: '#ef5350', points: samples.map((s) => ({ x: s.t, y: s.rejected })) },
            ]}
            formatY={(y) => y.toFixed(y < 10 ? 1 : 0)}
            formatX={ago}
            empty="The plots start after two seconds of samples."
          />
        </div>
        <div data-testid="perf-plot-latency">
          <LinePlot
            title="p99 latency of everything answered, per second"
            height={PLOT_HEIGHT}
            series={[{ name: 'p99', color: '#ff8a80', points: samples.map((s) => ({ x: s.t, y: s.p99Us / 1000 })) }]}
            formatY={(y) => `${y.toFixed(y < 10 ? 2 : 0)} ms`}
            formatX={ago}
            empty="The plots start after two seconds of samples."
          />
        </div>
        <div data-testid="perf-plot-hit-rate">
          <LinePlot
            title="Cache hit rate of slot results, per second"
            height={PLOT_HEIGHT}
            series={[
              { name: 'hit rate', color: '#26a69a', points: samples.map((s) => ({ x: s.t, y: s.hitRate * 100 })) },
            ]}
            formatY={(y) => `${Math.round(y)}%`}
            formatX={ago}
            empty="The plots start after two seconds of samples."
          />
        </div>
      </div>

      <h3>Latency</h3>
      <table className="grid-table perf-table" data-testid="perf-latency-table">
        <thead>
          <tr>
            <th>What</th>
            <th className="num">Count</th>
            <th className="num">Hit rate</th>
            <th className="num">p50</th>
            <th className="num">p95</th>
            <th className="num">p99</th>
          </tr>
        </thead>
        <tbody>
          <tr className="perf-total">
            <td>All questions</td>
            <td className="num">{formatCount(engine.queries.count)}</td>
            <td className="num">—</td>
            <Percentiles latency={engine.queries.latency} testId="perf-queries" />
          </tr>
          <tr className="perf-total">
            <td>Per-bar decisions</td>
            <td className="num">{formatCount(engine.decisions.count)}</td>
            <td className="num">—</td>
            <Percentiles latency={engine.decisions.latency} testId="perf-decisions" />
          </tr>
          {engine.slots.map((s) => (
            <tr key={s.id} data-testid={`perf-slot-${s.id}`}>
              <td>{s.name}</td>
              <td className="num">{formatCount(s.calls)}</td>
              <td className="num">{s.calls > 0 ? formatRatio(s.hitRate) : '—'}</td>
              <Percentiles latency={s.latency} />
            </tr>
          ))}
          {Object.entries(engine.queries.byKind).map(([kind, latency]) => (
            <tr key={kind} className="perf-kind">
              <td>Questions: {kind}</td>
              <td className="num">{formatCount(latency.count)}</td>
              <td className="num">—</td>
              <Percentiles latency={latency} />
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Admission</h3>
      <table className="grid-table perf-table" data-testid="perf-admission">
        <thead>
          <tr>
            <th>Work</th>
            <th className="num">Submitted</th>
            <th className="num">Done</th>
            <th className="num">Rejected</th>
            <th className="num">Missed SLO</th>
          </tr>
        </thead>
        <tbody>
          {classes.map((c) => (
            <tr key={c}>
              <td>{CLASS_LABELS[c] ?? c}</td>
              <td className="num">{formatCount(a.submitted[c] ?? 0)}</td>
              <td className="num">{formatCount(a.completed[c] ?? 0)}</td>
              <td className={`num ${(a.rejected[c] ?? 0) > 0 ? 'down' : ''}`}>{formatCount(a.rejected[c] ?? 0)}</td>
              <td className={`num ${(a.missed[c] ?? 0) > 0 ? 'warn-text' : ''}`}>{formatCount(a.missed[c] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small-print muted" data-testid="perf-admission-summary">
        {formatCount(a.deferred)} deferred · {formatCount(a.coalesced)} coalesced (superseded by a newer bar) ·{' '}
        {formatCount(sum(a.rejected))} rejected · {formatCount(sum(a.missed))} missed the SLO · {formatCount(a.queued)}{' '}
        queued now
      </p>

      <h3>Pattern cache</h3>
      <table className="grid-table perf-table" data-testid="perf-cache-tiers">
        <thead>
          <tr>
            <th>Tier</th>
            <th className="num">Entries</th>
            <th className="num">Size</th>
            <th className="num">Hit rate</th>
            <th className="num">Evictions</th>
            <th className="num">Lookup p99</th>
          </tr>
        </thead>
        <tbody>
          {(['memory', 'sqlite'] as const).map((tier) => {
            const t = cache.tiers[tier];
            return (
              <tr key={tier} data-testid={`perf-tier-${tier}`}>
                <td>{tier === 'memory' ? 'Memory' : 'SQLite (disk)'}</td>
                <td className="num" data-testid={`perf-tier-${tier}-entries`}>
                  {formatCount(t.entries)}
                </td>
                <td className="num" title={`of ${formatBytes(t.maxBytes)}`}>
                  {formatBytes(t.bytes)}
                </td>
                <td className="num">{t.hits + t.misses > 0 ? formatRatio(t.hitRatio) : '—'}</td>
                <td className="num">{formatCount(t.evictions)}</td>
                <td className="num">{t.lookupLatency.count > 0 ? formatLatencyUs(t.lookupLatency.p99Us) : '—'}</td>
              </tr>
            );
          })}
          {cache.namespaces.map((n) => (
            <tr key={n.name} className="perf-kind">
              <td>{NAMESPACE_LABELS[n.name] ?? n.name}</td>
              <td className="num" title={`${n.memoryEntries} in memory, ${n.sqliteEntries} on disk`}>
                {formatCount(n.memoryEntries)} / {formatCount(n.sqliteEntries)}
              </td>
              <td className="num">{formatBytes(n.memoryBytes + n.sqliteBytes)}</td>
              <td className="num">{n.hits + n.misses > 0 ? formatRatio(n.hitRatio) : '—'}</td>
              <td className="num">{formatCount(n.evictions)}</td>
              <td className="num">{n.lookupLatency.count > 0 ? formatLatencyUs(n.lookupLatency.p99Us) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small-print muted">
        {formatCount(cache.totals.lookups)} lookups, {formatRatio(cache.totals.hitRatio)} hits ·{' '}
        {formatCount(cache.totals.computes)} computed, {formatCount(cache.totals.coalesced)} waited for an identical
        compute · entries expire in {cache.clock === 'market' ? 'market' : 'wall'} time
        {cache.encrypted ? ' · encrypted at rest' : ''}
      </p>
      <div className="perf-actions">
        {confirmClear ? (
          <div className="confirm-row" role="alert">
            <span>Empty the pattern cache? Every slot computes again on its next use.</span>
            <button type="button" className="danger small" onClick={() => void clearCache()}>
              Clear it
            </button>
            <button type="button" className="small" onClick={() => setConfirmClear(false)}>
              Keep it
            </button>
          </div>
        ) : (
          <button type="button" className="small" disabled={clearing} onClick={() => setConfirmClear(true)}>
            {clearing ? 'Clearing…' : 'Clear cache…'}
          </button>
        )}
      </div>
    </div>
  );
}
