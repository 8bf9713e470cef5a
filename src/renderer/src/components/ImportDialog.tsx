import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { ImportSummary, RejectedLine } from '../../../shared/contract/data';
import type { ReplayState } from '../../../shared/contract/market';
import type { SeriesInfo, Timeframe } from '../../../shared/domain/market';
import { timeframes } from '../../../shared/domain/market';
import type { Progress } from '../../../shared/domain/progress';
import { api } from '../api';
import { pushNotice } from '../desk/notice-store';
import { ProgressBar } from './ProgressBar';

interface ImportDialogProps {
  open: boolean;
  onClose: () => void;
  replay: ReplayState | null;
  /** Takes the state of a newly loaded replay. */
  onReplayLoaded: (state: ReplayState) => void;
}

interface Refusal {
  message: string;
  rejected: RejectedLine[];
}

let taskCounter = 0;

/** "2004-08-19" for daily series, "2024-03-01 14:30 UTC" for intraday ones. */
function formatSeriesTime(t: number, timeframe: Timeframe): string {
  const iso = new Date(t).toISOString();
  return timeframe === '1d' ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function rejectedOf(details: unknown): RejectedLine[] {
  if (!details || typeof details !== 'object') return [];
  const list = (details as { rejected?: unknown }).rejected;
  if (!Array.isArray(list)) return [];
  return list.filter((r): r is RejectedLine => typeof r?.line === 'number' && typeof r?.reason === 'string');
}

/**
 * Imports an OHLCV CSV file chosen in the browser: the file is read as text and sent to `data.importText` with the
 * chosen options, progress comes from `onProgress`, and the summary (or the reason for a refusal) is shown. An
 * imported series can then be replayed; stored series are listed with replay and delete.
 */
export function ImportDialog({ open, onClose, replay, onReplayLoaded }: ImportDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [symbol, setSymbol] = useState('');
  const [timeframe, setTimeframe] = useState<'' | Timeframe>('');
  const [dateOrder, setDateOrder] = useState<'detect' | 'day' | 'month'>('detect');
  const [timeZone, setTimeZone] = useState('');
  const [adjustSplits, setAdjustSplits] = useState(true);
  const [strict, setStrict] = useState(false);
  const [taskId, setTaskId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [running, setRunning] = useState(false);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [series, setSeries] = useState<readonly SeriesInfo[]>([]);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [loading, setLoading] = useState<string | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const taskRef = useRef<string | null>(null);
  taskRef.current = taskId;
  useEffect(
    () =>
      api.events.onProgress((p) => {
        if (p.kind === 'import' && p.taskId === taskRef.current) setProgress(p);
      }),
    [],
  );

  const loadSeries = useCallback(async () => {
    const result = await api.data.series();
    if (result.ok) setSeries(result.value.filter((s) => s.source === 'imported'));
  }, []);
  useEffect(() => {
    if (open) void loadSeries();
  }, [open, loadSeries]);
  useEffect(
    () =>
      api.events.onSeriesChanged(() => {
        void loadSeries();
      }),
    [loadSeries],
  );

  const startImport = async (e: FormEvent) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setRefusal({ message: 'Choose a CSV file first.', rejected: [] });
      return;
    }
    const id = `ui-import-${Date.now().toString(36)}-${++taskCounter}`;
    setTaskId(id);
    taskRef.current = id;
    setProgress({
      taskId: id,
      kind: 'import',
      label: `Reading ${file.name}`,
      done: 0,
      total: file.size,
      unit: 'bytes',
      state: 'running',
    });
    setSummary(null);
    setRefusal(null);
    setRunning(true);
    try {
      const text = await file.text();
      const result = await api.data.importText({
        fileName: file.name,
        text,
        taskId: id,
        ...(symbol.trim() ? { symbol: symbol.trim() } : {}),
        ...(timeframe ? { timeframe } : {}),
        ...(dateOrder === 'detect' ? {} : { dayFirst: dateOrder === 'day' }),
        ...(timeZone.trim() ? { timeZone: timeZone.trim() } : {}),
        adjustSplits,
        strict,
      });
      if (result.ok) {
        setSummary(result.value);
        void loadSeries();
      } else {
        setRefusal({ message: result.error.message, rejected: rejectedOf(result.error.details) });
        setProgress((p) => (p && p.state === 'running' ? { ...p, state: 'failed', message: 'refused' } : p));
      }
    } catch (error) {
      setRefusal({ message: `The file could not be read: ${String(error)}`, rejected: [] });
    } finally {
      setRunning(false);
    }
  };

  const cancelImport = async () => {
    if (taskId) await api.data.cancelImport({ taskId });
  };

  const replaySeries = async (symbols: string[], tf: Timeframe) => {
    setLoading(`${symbols.join(',')}|${tf}`);
    const result = await api.replay.load({ source: 'imported', symbols, timeframe: tf });
    setLoading(null);
    if (!result.ok) {
      pushNotice('error', `Could not replay ${symbols.join(', ')}: ${result.error.message}`);
      return;
    }
    onReplayLoaded(result.value);
    onClose();
  };

  const backToSimulated = async () => {
    setLoading('synthetic');
    const result = await api.replay.load({ source: 'synthetic' });
    setLoading(null);
    if (!result.ok) {
      pushNotice('error', `Could not start the simulated market: ${result.error.message}`);
      return;
    }
    onReplayLoaded(result.value);
    onClose();
  };

  const deleteSeries = async (s: SeriesInfo) => {
    setConfirmDelete(null);
    const result = await api.data.deleteSeries({ symbol: s.symbol, timeframe: s.timeframe });
    if (!result.ok) pushNotice('error', `Could not delete ${s.symbol} ${s.timeframe}: ${result.error.message}`);
    void loadSeries();
  };

  const summaryTf = summary?.series[0]?.timeframe;
  const marketT = replay?.marketT ?? null;
  const earliest = summary?.series.reduce((m, s) => Math.min(m, s.firstT), Number.POSITIVE_INFINITY) ?? null;
  const resetsAccount = marketT !== null && earliest !== null && earliest < marketT;

  return (
    <dialog
      ref={dialogRef}
      className="import-dialog"
      aria-labelledby="import-title"
      onClose={onClose}
      onCancel={(e) => {
        if (running) e.preventDefault();
      }}
    >
      <header className="dialog-header">
        <h2 id="import-title">Import market data</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <form className="import-form" onSubmit={startImport}>
        <label className="field wide">
          <span>CSV file (OHLCV: date/time, open, high, low, close, volume)</span>
          <input ref={fileRef} type="file" accept=".csv,.txt,text/csv,text/plain" aria-label="CSV file" />
        </label>
        <div className="import-options">
          <label className="field">
            <span>Symbol (optional)</span>
            <input
              aria-label="Symbol override"
              placeholder="from the file"
              value={symbol}
              onChange={(e) => setSymbol(e.target.value)}
            />
          </label>
          <label className="field">
            <span>Timeframe</span>
            <select
              aria-label="Timeframe"
              value={timeframe}
              onChange={(e) => setTimeframe(e.target.value as '' | Timeframe)}
            >
              <option value="">Detect</option>
              {timeframes.map((tf) => (
                <option key={tf} value={tf}>
                  {tf}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Dates like 03/04/2020</span>
            <select
              aria-label="Date order"
              value={dateOrder}
              onChange={(e) => setDateOrder(e.target.value as 'detect' | 'day' | 'month')}
            >
              <option value="detect">Detect</option>
              <option value="month">Month first (MM/DD)</option>
              <option value="day">Day first (DD/MM)</option>
            </select>
          </label>
          <label className="field">
            <span>Time zone (intraday, no offset)</span>
            <input
              aria-label="Time zone"
              placeholder="America/New_York"
              value={timeZone}
              onChange={(e) => setTimeZone(e.target.value)}
            />
          </label>
          <label className="check">
            <input type="checkbox" checked={adjustSplits} onChange={(e) => setAdjustSplits(e.target.checked)} />
            Adjust for splits
          </label>
          <label className="check">
            <input type="checkbox" checked={strict} onChange={(e) => setStrict(e.target.checked)} />
            Strict (refuse on any bad line)
          </label>
        </div>
        <div className="dialog-actions">
          <button type="submit" className="primary" disabled={running}>
            Import
          </button>
          {running ? (
            <button type="button" onClick={() => void cancelImport()}>
              Cancel import
            </button>
          ) : null}
        </div>
      </form>

      {progress ? <ProgressBar progress={progress} /> : null}

      {refusal ? (
        <div className="import-refusal" role="alert" data-testid="import-refusal">
          <p>
            <strong>Not imported:</strong> {refusal.message}
          </p>
          {refusal.rejected.length > 0 ? (
            <ul className="rejected-lines">
              {refusal.rejected.slice(0, 50).map((r) => (
                <li key={r.line}>
                  Line {r.line}: {r.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {summary ? (
        <section className="import-summary" aria-label="Import summary" data-testid="import-summary">
          <p>
            <strong>{summary.fileName}</strong>: {summary.importedRows.toLocaleString('en-US')} of{' '}
            {summary.dataLines.toLocaleString('en-US')} rows imported in {Math.round(summary.durationMs)} ms.
          </p>
          <ul>
            {summary.series.map((s) => (
              <li key={`${s.symbol}|${s.timeframe}`} data-testid={`imported-${s.symbol}-${s.timeframe}`}>
                {s.symbol} {s.timeframe}: {s.rows.toLocaleString('en-US')} rows,{' '}
                {formatSeriesTime(s.firstT, s.timeframe)} → {formatSeriesTime(s.lastT, s.timeframe)}
                {s.replaced ? ` (replaced ${s.previousRows.toLocaleString('en-US')} stored rows)` : ''}
                {s.splitsApplied.length > 0 ? ` · ${s.splitsApplied.length} split(s) adjusted` : ''}
                {s.zeroVolumeBars > 0 ? ` · ${s.zeroVolumeBars} zero-volume bars` : ''}
              </li>
            ))}
          </ul>
          {summary.rejectedCount > 0 ? (
            <div>
              <p className="warn-text">
                {summary.rejectedCount.toLocaleString('en-US')} line(s) rejected
                {summary.rejectedCount > summary.rejected.length ? ` (first ${summary.rejected.length} shown)` : ''}:
              </p>
              <ul className="rejected-lines">
                {summary.rejected.slice(0, 50).map((r) => (
                  <li key={r.line}>
                    Line {r.line}: {r.reason}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="muted">No lines rejected.</p>
          )}
          {summary.warnings.length > 0 ? (
            <ul className="import-warnings">
              {summary.warnings.map((w) => (
                <li key={w} className="warn-text">
                  {w}
                </li>
              ))}
            </ul>
          ) : null}
          {summary.notes.length > 0 ? (
            <ul className="import-notes">
              {summary.notes.map((n) => (
                <li key={n} className="muted">
                  {n}
                </li>
              ))}
            </ul>
          ) : null}
          {summaryTf && summary.series.length > 0 ? (
            <div className="dialog-actions">
              <button
                type="button"
                className="primary"
                disabled={loading !== null}
                onClick={() =>
                  void replaySeries(
                    summary.series.filter((s) => s.timeframe === summaryTf).map((s) => s.symbol),
                    summaryTf,
                  )
                }
              >
                Replay this series
              </button>
              {resetsAccount ? (
                <span className="warn-text">
                  The data starts before the current market time: replaying it restarts the paper account.
                </span>
              ) : null}
            </div>
          ) : null}
        </section>
      ) : null}

      <section className="stored-series" aria-label="Imported series">
        <h3>Imported series</h3>
        {series.length === 0 ? (
          <p className="muted">Nothing imported yet. Without data the desk runs the simulated market.</p>
        ) : (
          <table className="grid-table">
            <thead>
              <tr>
                <th>Symbol</th>
                <th>Timeframe</th>
                <th className="num">Rows</th>
                <th>From</th>
                <th>To</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {series.map((s) => {
                const key = `${s.symbol}|${s.timeframe}`;
                return (
                  <tr key={key} data-testid={`series-row-${s.symbol}-${s.timeframe}`}>
                    <td>{s.symbol}</td>
                    <td>{s.timeframe}</td>
                    <td className="num">{s.rows.toLocaleString('en-US')}</td>
                    <td>{s.firstT === null ? '—' : formatSeriesTime(s.firstT, s.timeframe)}</td>
                    <td>{s.lastT === null ? '—' : formatSeriesTime(s.lastT, s.timeframe)}</td>
                    <td className="row-actions">
                      <button
                        type="button"
                        className="small"
                        disabled={loading !== null}
                        onClick={() => void replaySeries([s.symbol], s.timeframe)}
                        aria-label={`Replay ${s.symbol} ${s.timeframe}`}
                      >
                        Replay
                      </button>
                      {confirmDelete === key ? (
                        <>
                          <button
                            type="button"
                            className="small danger"
                            onClick={() => void deleteSeries(s)}
                            aria-label={`Confirm delete ${s.symbol} ${s.timeframe}`}
                          >
                            Delete for good
                          </button>
                          <button type="button" className="small" onClick={() => setConfirmDelete(null)}>
                            Keep
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          className="small"
                          onClick={() => setConfirmDelete(key)}
                          aria-label={`Delete ${s.symbol} ${s.timeframe}`}
                        >
                          Delete
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {replay?.source === 'imported' ? (
          <div className="dialog-actions">
            <button type="button" disabled={loading !== null} onClick={() => void backToSimulated()}>
              Back to the simulated market
            </button>
          </div>
        ) : null}
      </section>
    </dialog>
  );
}
