import { type KeyboardEvent, useState } from 'react';
import type { Order } from '../../../shared/domain/broker';
import { formatUsd, fromE4 } from '../../../shared/money';
import { api } from '../api';
import { pushNotice } from '../desk/notice-store';
import type { BrokerView } from '../desk/use-broker';
import { formatPriceE4, formatQty, signClass } from '../format';
import { formatMarketTime, type MarketZone } from '../market-time';
import { BrokerRules } from './BrokerRules';
import { LinePlot } from './LinePlot';

type Tab = 'working' | 'orders' | 'fills' | 'positions' | 'account';

interface BlotterProps {
  broker: BrokerView;
  zone: MarketZone;
  /** Daily replays show dates only. */
  daily: boolean;
}

const TYPE_TEXT: Record<Order['type'], string> = {
  market: 'Market',
  limit: 'Limit',
  stop: 'Stop',
  stop_limit: 'Stop-limit',
};

function Money({ e4, signed = false, testId }: { e4: number; signed?: boolean; testId?: string }) {
  return (
    <span className={signed ? `num ${signClass(e4)}` : 'num'} data-testid={testId}>
      {signed && e4 > 0 ? '+' : ''}
      {formatUsd(e4)}
    </span>
  );
}

/** Axis labels of the equity curve: "$100.0K", "$1.25M" (full amounts are in the account table beside it). */
function formatUsdShort(e4: number): string {
  const dollars = fromE4(e4);
  const abs = Math.abs(dollars);
  const sign = dollars < 0 ? '-' : '';
  if (abs >= 1e6) return `${sign}$${(abs / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${sign}$${(abs / 1e3).toFixed(1)}K`;
  return formatUsd(Math.round(e4));
}

function roleText(order: Order): string {
  if (order.role === 'take_profit') return ' (take-profit)';
  if (order.role === 'stop_loss') return ' (stop-loss)';
  if (order.role === 'entry') return ' (bracket entry)';
  return '';
}

/**
 * The blotter: working orders (each cancellable), the order history, fills, positions with P&L, and the account
 * with its equity curve. Everything is live from the broker's events (see useBroker).
 */
export function Blotter({ broker, zone, daily }: BlotterProps) {
  const [tab, setTab] = useState<Tab>('working');
  const [cancelling, setCancelling] = useState<ReadonlySet<number>>(new Set());
  const [confirmReset, setConfirmReset] = useState(false);
  const { working, orders, fills, positions, account, equity } = broker;
  // Daily bars (and so fills on them) are stamped 00:00 UTC of their date, and a session's hours fall on the same
  // UTC date: on a daily replay, dates read in UTC are the trading days.
  const time = (t: number) => (daily ? formatMarketTime(t, 'UTC', true) : formatMarketTime(t, zone));
  const openPositions = positions.filter((p) => p.qty !== 0);

  const tabs: { id: Tab; label: string }[] = [
    { id: 'working', label: `Working orders (${working.length})` },
    { id: 'orders', label: `Orders (${orders.length})` },
    { id: 'fills', label: `Fills (${fills.length})` },
    { id: 'positions', label: `Positions (${openPositions.length})` },
    { id: 'account', label: 'Account' },
  ];

  const cancel = async (id: number) => {
    setCancelling((s) => new Set(s).add(id));
    const result = await api.orders.cancel({ id });
    setCancelling((s) => {
      const next = new Set(s);
      next.delete(id);
      return next;
    });
    if (!result.ok) pushNotice('error', `Order #${id} was not cancelled: ${result.error.message}`);
    broker.reload();
  };

  const resetAccount = async () => {
    setConfirmReset(false);
    const result = await api.account.reset();
    if (!result.ok) pushNotice('error', `The account was not reset: ${result.error.message}`);
    else pushNotice('info', 'The paper account started again.');
    broker.reload();
  };

  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = tabs.findIndex((t) => t.id === tab);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    if (next) {
      setTab(next.id);
      document.getElementById(`blotter-tab-${next.id}`)?.focus();
    }
  };

  return (
    <div className="blotter">
      <div className="tabs" role="tablist" aria-label="Blotter views" onKeyDown={onTabKey}>
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`blotter-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`blotter-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="tab"
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
        {broker.error ? <span className="tab-error">{broker.error}</span> : null}
      </div>
      <div
        className="tab-panel"
        role="tabpanel"
        id={`blotter-panel-${tab}`}
        aria-labelledby={`blotter-tab-${tab}`}
        data-testid={`blotter-${tab}`}
      >
        {tab === 'working' ? (
          working.length === 0 ? (
            <p className="muted">
              No working orders. Limit and stop orders wait here until they fill or you cancel them.
            </p>
          ) : (
            <table className="grid-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Placed</th>
                  <th>Symbol</th>
                  <th>Side</th>
                  <th>Type</th>
                  <th className="num">Filled / Qty</th>
                  <th className="num">Limit</th>
                  <th className="num">Stop</th>
                  <th>TIF</th>
                  <th>Status</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {working.map((o) => (
                  <tr key={o.id} data-testid={`working-row-${o.id}`}>
                    <td>{o.id}</td>
                    <td>{time(o.createdT)}</td>
                    <td>{o.symbol}</td>
                    <td className={o.side === 'buy' ? 'up' : 'down'}>{o.side.toUpperCase()}</td>
                    <td>
                      {TYPE_TEXT[o.type]}
                      {roleText(o)}
                    </td>
                    <td className="num">
                      {formatQty(o.filledQty)} / {formatQty(o.qty)}
                    </td>
                    <td className="num">{formatPriceE4(o.limitPriceE4)}</td>
                    <td className="num">{formatPriceE4(o.stopPriceE4)}</td>
                    <td>{o.tif.toUpperCase()}</td>
                    <td>{o.status.replace('_', ' ')}</td>
                    <td>
                      <button
                        type="button"
                        className="small"
                        onClick={() => void cancel(o.id)}
                        disabled={cancelling.has(o.id)}
                        aria-label={`Cancel order ${o.id}`}
                      >
                        Cancel
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        ) : null}

        {tab === 'orders' ? (
          orders.length === 0 ? (
            <p className="muted">No orders yet.</p>
          ) : (
            <table className="grid-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Placed</th>
                  <th>Symbol</th>
                  <th>Side</th>
                  <th>Type</th>
                  <th className="num">Filled / Qty</th>
                  <th className="num">Limit</th>
                  <th className="num">Stop</th>
                  <th className="num">Avg fill</th>
                  <th>TIF</th>
                  <th>Status</th>
                  <th className="num">Commission</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((o) => (
                  <tr key={o.id} data-testid={`order-row-${o.id}`}>
                    <td>{o.id}</td>
                    <td>{time(o.createdT)}</td>
                    <td>{o.symbol}</td>
                    <td className={o.side === 'buy' ? 'up' : 'down'}>{o.side.toUpperCase()}</td>
                    <td>
                      {TYPE_TEXT[o.type]}
                      {roleText(o)}
                    </td>
                    <td className="num">
                      {formatQty(o.filledQty)} / {formatQty(o.qty)}
                    </td>
                    <td className="num">{formatPriceE4(o.limitPriceE4)}</td>
                    <td className="num">{formatPriceE4(o.stopPriceE4)}</td>
                    <td className="num">{formatPriceE4(o.avgFillPriceE4)}</td>
                    <td>{o.tif.toUpperCase()}</td>
                    <td title={o.statusReason ?? undefined} data-testid={`order-status-${o.id}`}>
                      {o.status.replace('_', ' ')}
                      {o.statusReason ? <span className="muted"> · {o.statusReason}</span> : null}
                    </td>
                    <td className="num">{formatUsd(o.commissionE4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        ) : null}

        {tab === 'fills' ? (
          fills.length === 0 ? (
            <p className="muted">No fills yet.</p>
          ) : (
            <table className="grid-table">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Order</th>
                  <th>Symbol</th>
                  <th>Side</th>
                  <th className="num">Qty</th>
                  <th className="num">Price</th>
                  <th className="num">Commission</th>
                  <th className="num">Realised P&amp;L</th>
                  <th className="num">Position after</th>
                </tr>
              </thead>
              <tbody>
                {fills.map((f) => (
                  <tr key={f.id} data-testid={`fill-row-${f.id}`}>
                    <td>{time(f.t)}</td>
                    <td>#{f.orderId}</td>
                    <td>{f.symbol}</td>
                    <td className={f.side === 'buy' ? 'up' : 'down'}>{f.side.toUpperCase()}</td>
                    <td className="num">{formatQty(f.qty)}</td>
                    <td className="num">{formatPriceE4(f.priceE4)}</td>
                    <td className="num">{formatUsd(f.commissionE4)}</td>
                    <td className="num">
                      <Money e4={f.realizedPnlE4} signed />
                    </td>
                    <td className="num">{formatQty(f.positionAfter)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        ) : null}

        {tab === 'positions' ? (
          positions.length === 0 ? (
            <p className="muted">No positions. Filled orders open them here, with their profit and loss.</p>
          ) : (
            <table className="grid-table">
              <thead>
                <tr>
                  <th>Symbol</th>
                  <th className="num">Qty</th>
                  <th className="num">Avg price</th>
                  <th className="num">Last</th>
                  <th className="num">Market value</th>
                  <th className="num">Unrealised P&amp;L</th>
                  <th className="num">Realised P&amp;L</th>
                </tr>
              </thead>
              <tbody>
                {positions.map((p) => (
                  <tr
                    key={p.symbol}
                    data-testid={`position-row-${p.symbol}`}
                    className={p.qty === 0 ? 'flat-row' : undefined}
                  >
                    <td>{p.symbol}</td>
                    <td className="num" data-testid={`position-qty-${p.symbol}`}>
                      {formatQty(p.qty)}
                    </td>
                    <td className="num">{formatPriceE4(p.avgPriceE4)}</td>
                    <td className="num">{formatPriceE4(p.markPriceE4)}</td>
                    <td className="num">{formatUsd(p.marketValueE4)}</td>
                    <td className="num">
                      <Money e4={p.unrealizedPnlE4} signed testId={`position-upnl-${p.symbol}`} />
                    </td>
                    <td className="num">
                      <Money e4={p.realizedPnlE4} signed testId={`position-rpnl-${p.symbol}`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        ) : null}

        {tab === 'account' ? (
          account ? (
            <div className="account-view">
              <div className="account-side">
                <dl className="account-grid">
                  <dt>Cash</dt>
                  <dd data-testid="account-cash">
                    <Money e4={account.cashE4} />
                  </dd>
                  <dt>Equity</dt>
                  <dd data-testid="account-equity">
                    <Money e4={account.equityE4} />
                  </dd>
                  <dt>Buying power</dt>
                  <dd data-testid="account-buying-power">
                    <Money e4={account.buyingPowerE4} />
                  </dd>
                  <dt>Realised P&amp;L</dt>
                  <dd>
                    <Money e4={account.realizedPnlE4} signed testId="account-realized" />
                  </dd>
                  <dt>Unrealised P&amp;L</dt>
                  <dd>
                    <Money e4={account.unrealizedPnlE4} signed testId="account-unrealized" />
                  </dd>
                  <dt>Commissions</dt>
                  <dd>
                    <Money e4={account.commissionsE4} />
                  </dd>
                  <dt>Reserved for orders</dt>
                  <dd>
                    <Money e4={account.reservedE4} />
                  </dd>
                  <dt>Starting cash</dt>
                  <dd>
                    <Money e4={account.startingCashE4} />
                  </dd>
                  <dt>Open orders</dt>
                  <dd>{account.openOrders}</dd>
                  {account.marginCall ? (
                    <>
                      <dt>Margin</dt>
                      <dd className="down">Margin call: only orders that reduce risk are accepted</dd>
                    </>
                  ) : null}
                  <dt>Shorting</dt>
                  <dd data-testid="account-shorting">
                    {account.allowShort ? 'On (margin account)' : 'Off (cash account)'}
                  </dd>
                </dl>
                <BrokerRules />
              </div>
              <div className="equity-curve">
                <LinePlot
                  title="Equity curve"
                  height={120}
                  series={[
                    {
                      name: 'Equity',
                      color: '#4fb3ff',
                      points: equity.map((p) => ({ x: p.t, y: p.equityE4 })),
                    },
                  ]}
                  formatY={(y) => formatUsdShort(y)}
                  formatX={(x) => formatMarketTime(x, daily ? 'UTC' : zone, true)}
                  empty="The equity curve appears once market time has moved on (one point a market minute)."
                />
                <div className="account-actions">
                  {confirmReset ? (
                    <>
                      <span className="warn-text">Cancel every order and clear all history?</span>
                      <button type="button" className="small danger" onClick={() => void resetAccount()}>
                        Yes, reset the account
                      </button>
                      <button type="button" className="small" onClick={() => setConfirmReset(false)}>
                        Keep it
                      </button>
                    </>
                  ) : (
                    <button type="button" className="small" onClick={() => setConfirmReset(true)}>
                      Reset account…
                    </button>
                  )}
                </div>
              </div>
            </div>
          ) : (
            <p className="muted">Loading the account…</p>
          )
        ) : null}
      </div>
    </div>
  );
}
