import type { Progress } from '../../../shared/domain/progress';

/** A labelled progress bar for a long task (import, backtest, training). */
export function ProgressBar({ progress }: { progress: Progress }) {
  const fraction = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  return (
    <div
      className={`progress progress-${progress.state}`}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(fraction * 100)}
      aria-label={progress.label}
    >
      <div className="progress-text">
        <span>{progress.label}</span>
        <span>
          {progress.state === 'running'
            ? `${Math.round(fraction * 100)}% · ${Math.round(progress.done).toLocaleString()}/${Math.round(progress.total).toLocaleString()} ${progress.unit}`
            : (progress.message ?? progress.state)}
        </span>
      </div>
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}
