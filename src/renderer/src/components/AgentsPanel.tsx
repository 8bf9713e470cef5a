import { type KeyboardEvent, useState } from 'react';
import type { Position } from '../../../shared/domain/broker';
import type { Timeframe } from '../../../shared/domain/market';
import { usePolicyStatus } from '../desk/use-policy-status';
import type { MarketZone } from '../market-time';
import { PerformancePanel } from './PerformancePanel';
import { PolicyPanel } from './PolicyPanel';
import { SlotList } from './SlotList';

type Tab = 'slots' | 'performance' | 'policy';

const TABS: { id: Tab; label: string }[] = [
  { id: 'slots', label: 'Slots' },
  { id: 'performance', label: 'Performance' },
  { id: 'policy', label: 'Policy' },
];

interface AgentsPanelProps {
  symbols: readonly string[];
  replayTimeframe: Timeframe | null;
  positions: readonly Position[];
  zone: MarketZone;
}

/**
 * The agents region: the seven model slots and the DQN policy at a glance, the engine's performance (live plots,
 * latency percentiles, admission, the pattern cache), and the policy in detail with retraining. Only the tab
 * shown polls the engine.
 */
export function AgentsPanel({ symbols, replayTimeframe, positions, zone }: AgentsPanelProps) {
  const [tab, setTab] = useState<Tab>('slots');
  const policy = usePolicyStatus();

  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    if (next) {
      setTab(next.id);
      document.getElementById(`agents-tab-${next.id}`)?.focus();
    }
  };

  return (
    <div className="agents">
      <div className="tabs" role="tablist" aria-label="Agent views" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`agents-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`agents-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="tab"
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {/* All three stay mounted (a training's progress survives a look at the slots); only the one shown polls. */}
      <div
        className="tab-panel"
        role="tabpanel"
        id="agents-panel-slots"
        aria-labelledby="agents-tab-slots"
        data-testid="agents-slots"
        hidden={tab !== 'slots'}
      >
        <SlotList visible={tab === 'slots'} policy={policy} />
      </div>
      <div
        className="tab-panel"
        role="tabpanel"
        id="agents-panel-performance"
        aria-labelledby="agents-tab-performance"
        data-testid="agents-performance"
        hidden={tab !== 'performance'}
      >
        <PerformancePanel visible={tab === 'performance'} />
      </div>
      <div
        className="tab-panel"
        role="tabpanel"
        id="agents-panel-policy"
        aria-labelledby="agents-tab-policy"
        data-testid="agents-policy"
        hidden={tab !== 'policy'}
      >
        <PolicyPanel
          visible={tab === 'policy'}
          symbols={symbols}
          timeframe={replayTimeframe}
          positions={positions}
          zone={zone}
          policy={policy}
        />
      </div>
    </div>
  );
}
