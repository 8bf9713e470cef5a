import { type FormEvent, useState } from 'react';
import type { ReplayState } from '../../../shared/contract/market';
import { api } from '../api';
import { useLiveQuotes } from '../desk/use-live-quotes';
import { formatChange, formatPct, formatPrice, signClass } from '../format';

interface WatchlistProps {
  replay: ReplayState | null;
  /** Changes when the market jumped: quotes are fetched again. */
  reloadKey: string;
  selected: string | null;
  onSelect: (symbol: string) => void;
}

/**
 * The session's symbols with last price and day change, live. On the simulated market the list is the `watchlist`
 * setting: adding or removing a ticker stores it and the engine reloads the market (each symbol keeps its path).
 */
export function Watchlist({ replay, reloadKey, selected, onSelect }: WatchlistProps) {
  const { quotes } = useLiveQuotes(reloadKey);
  const [adding, setAdding] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const symbols = replay?.symbols ?? [];
  const editable = replay?.source === 'synthetic';

  const saveWatchlist = async (next: string[]) => {
    setBusy(true);
    const result = await api.settings.set({ key: 'watchlist', value: next });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return false;
    }
    setError(null);
    return true;
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const ticker = adding.trim().toUpperCase();
    if (!ticker) return;
    if (symbols.includes(ticker)) {
      setError(`${ticker} is already on the watchlist.`);
      return;
    }
    const current = await api.settings.get({ key: 'watchlist' });
    const list = current.ok && Array.isArray(current.value.value) ? (current.value.value as string[]) : [...symbols];
    if (await saveWatchlist([...list, ticker])) setAdding('');
  };

  const remove = async (symbol: string) => {
    if (symbols.length <= 1) {
      setError('The watchlist needs at least one symbol.');
      return;
    }
    const current = await api.settings.get({ key: 'watchlist' });
    const list = current.ok && Array.isArray(current.value.value) ? (current.value.value as string[]) : [...symbols];
    await saveWatchlist(list.filter((s) => s !== symbol));
  };

  return (
    <div className="watchlist">
      <table className="grid-table watch-table">
        <thead>
          <tr>
            <th>Symbol</th>
            <th className="num">Last</th>
            <th className="num">Chg</th>
            <th className="num">Chg %</th>
            {editable ? <th aria-label="Remove" /> : null}
          </tr>
        </thead>
        <tbody>
          {symbols.map((symbol) => {
            const q = quotes.get(symbol);
            const cls = signClass(q?.change ?? null);
            return (
              <tr
                key={symbol}
                data-testid={`watch-row-${symbol}`}
                aria-selected={symbol === selected}
                className={symbol === selected ? 'selected' : undefined}
                onClick={() => onSelect(symbol)}
              >
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={(e) => {
                      e.stopPropagation();
                      onSelect(symbol);
                    }}
                    aria-label={`Chart ${symbol}`}
                  >
                    {symbol}
                  </button>
                </td>
                <td className="num" data-testid={`watch-last-${symbol}`}>
                  {formatPrice(q?.last ?? null)}
                </td>
                <td className={`num ${cls}`} data-testid={`watch-change-${symbol}`}>
                  {formatChange(q?.change ?? null, q?.last ?? null)}
                </td>
                <td className={`num ${cls}`} data-testid={`watch-pct-${symbol}`}>
                  {formatPct(q?.changePct ?? null)}
                </td>
                {editable ? (
                  <td>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Remove ${symbol} from the watchlist`}
                      disabled={busy}
                      onClick={(e) => {
                        e.stopPropagation();
                        void remove(symbol);
                      }}
                    >
                      ×
                    </button>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {editable ? (
        <form className="watch-add" onSubmit={add}>
          <input
            aria-label="Add ticker"
            placeholder="Add ticker, e.g. AMD"
            value={adding}
            onChange={(e) => setAdding(e.target.value)}
            maxLength={15}
          />
          <button type="submit" disabled={busy || adding.trim() === ''}>
            Add
          </button>
        </form>
      ) : (
        <p className="muted small-print">Replaying imported data: the symbols come from the loaded series.</p>
      )}
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
