/**
 * The `broker.*` settings that are the paper broker's live rules (costs, the volume cap, shorting), and how they map
 * onto its {@link BrokerConfig}. The engine reads them at start-up and applies a change at once, so the next order
 * or fill follows the new rules without a restart. `broker.startingCashCents` is not one of them: starting cash
 * applies only when the account is created or reset.
 */
import type { BrokerConfig } from '../../../shared/domain/broker';
import { centsToE4 } from '../../../shared/money';
import type { SettingKey, SettingValue } from '../../../shared/settings';

/** The settings that change the broker's rules while it runs. */
export const brokerRuleSettings = [
  'broker.allowShort',
  'broker.spreadBps',
  'broker.slippageBps',
  'broker.commissionPerShareE4',
  'broker.commissionMinCents',
  'broker.maxVolumeParticipation',
] as const satisfies readonly SettingKey[];
export type BrokerRuleSetting = (typeof brokerRuleSettings)[number];

/** The part of the broker's configuration those settings control. */
export type BrokerRules = Pick<
  BrokerConfig,
  'allowShort' | 'spreadBps' | 'slippageBps' | 'commissionPerShareE4' | 'commissionMinE4' | 'maxVolumeParticipation'
>;

const ruleSettingSet: ReadonlySet<string> = new Set(brokerRuleSettings);

export function isBrokerRuleSetting(key: string): key is BrokerRuleSetting {
  return ruleSettingSet.has(key);
}

/** Reads the broker's rules from the settings (each one its stored value or its default). */
export function brokerRulesFromSettings(settings: { get<K extends SettingKey>(key: K): SettingValue<K> }): BrokerRules {
  return {
    allowShort: settings.get('broker.allowShort'),
    spreadBps: settings.get('broker.spreadBps'),
    slippageBps: settings.get('broker.slippageBps'),
    commissionPerShareE4: settings.get('broker.commissionPerShareE4'),
    // Settings keep the minimum in cents, like the starting cash; the broker counts in E4 (1/100 cent).
    commissionMinE4: centsToE4(settings.get('broker.commissionMinCents')),
    maxVolumeParticipation: settings.get('broker.maxVolumeParticipation'),
  };
}
