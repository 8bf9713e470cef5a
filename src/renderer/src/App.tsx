import { connection } from './api';
import { EmptyState, Panel } from './components/Panel';
import { StatusBar } from './components/StatusBar';
import { useAppInfo, useConnectionState } from './hooks';

/** The trading desk: every region of the workstation, each saying what it will show. */
export function App() {
  const connectionState = useConnectionState();
  const { info, error } = useAppInfo(connectionState);

  return (
    <div className="desk">
      <header className="top-bar">
        <span className="brand">Swaggy Stacks</span>
        <span className="tagline">offline paper trading</span>
      </header>

      <Panel title="Watchlist" area="watchlist">
        <EmptyState title="No symbols yet">
          Your symbols appear here with last price and change, live, once market data is imported or the simulated
          market is running.
        </EmptyState>
      </Panel>

      <Panel title="Chart" area="chart">
        <EmptyState title="No chart yet">
          Candlesticks with volume for the selected symbol, with your fills and detected patterns marked on them.
        </EmptyState>
      </Panel>

      <div className="right-column">
        <Panel title="Order ticket" area="ticket">
          <EmptyState title="Paper orders">
            Market, limit, stop, stop-limit and bracket orders, with keyboard shortcuts. Rejections appear here with the
            reason.
          </EmptyState>
        </Panel>

        <Panel title="Agents" area="agents">
          <EmptyState title="Seven model slots">
            InternLM2, Moonshot, DeepSeek, Yi, ChatGLM, Qwen and MiniMax: each slot's backend, last result, latency and
            whether it came from the pattern cache.
          </EmptyState>
        </Panel>
      </div>

      <Panel title="Blotter" area="blotter">
        <EmptyState title="No orders, fills or positions">
          Open orders (cancellable), fills, positions with P&amp;L, the account summary and the equity curve.
        </EmptyState>
      </Panel>

      <Panel title="Decision feed" area="feed">
        <EmptyState title="No decisions yet">
          Each BUY, SELL or HOLD decision with its confidence and an explanation naming the slots behind it; spoken
          alerts appear here too.
        </EmptyState>
      </Panel>

      <section className="voice-bar" aria-label="Voice bar" data-area="voice">
        <span className="voice-label">Voice</span>
        <span className="voice-text">
          Push-to-talk: hold Space (or the voice button) and speak an order or a question. Spoken orders are read back
          and need your confirmation.
        </span>
      </section>

      <StatusBar info={info} infoError={error} connection={connectionState} transport={connection.transport} />
    </div>
  );
}
