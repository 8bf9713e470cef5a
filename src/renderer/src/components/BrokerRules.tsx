import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { SettingKey } from '../../../shared/settings';
import { api } from '../api';
import { useEvent } from '../hooks';

/** One editable broker rule: how its stored value reads in the form, and how typed text becomes a stored value. */
interface RuleField {
  key: Exclude<BrokerRuleKey, 'broker.allowShort'>;
  label: string;
  unit: string;
  /** The stored setting as the trader reads it (dollars, percent, basis points). */
  show(value: number): string;
  /** Typed text to the stored value, or the reason it cannot be one. */
  parse(text: string): { value: number } | { problem: string };
}

type BrokerRuleKey = Extract<
  SettingKey,
  | 'broker.allowShort'
  | 'broker.spreadBps'
  | 'broker.slippageBps'
  | 'broker.commissionPerShareE4'
  | 'broker.commissionMinCents'
  | 'broker.maxVolumeParticipation'
>;

const decimalsOf = (text: string) => (text.split('.')[1] ?? '').length;

function numberIn(text: string, min: number, max: number, what: string, minOpen = false): number | string {
  const trimmed = text.trim();
  const n = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(n)) return `${what}: type a number`;
  if (minOpen ? n <= min : n < min) return `${what}: must be ${minOpen ? 'above' : 'at least'} ${min}`;
  if (n > max) return `${what}: at most ${max}`;
  return n;
}

const bps = (key: RuleField['key'], label: string): RuleField => ({
  key,
  label,
  unit: 'bp',
  show: (v) => String(v),
  parse: (text) => {
    const n = numberIn(text, 0, 1000, label, false);
    return typeof n === 'string' ? { problem: n } : { value: n };
  },
});

/** The numeric rules, in the order the form shows them. Units follow the settings (see src/shared/settings.ts). */
const FIELDS: readonly RuleField[] = [
  bps('broker.spreadBps', 'Spread'),
  bps('broker.slippageBps', 'Slippage'),
  {
    key: 'broker.commissionPerShareE4',
    label: 'Commission per share',
    unit: '$',
    show: (e4) => (e4 / 10_000).toString(),
    parse: (text) => {
      const n = numberIn(text, 0, 1, 'Commission per share', false);
      if (typeof n === 'string') return { problem: n };
      // The broker counts money in 1/100 cent: a finer amount would be rounded away silently.
      if (decimalsOf(text.trim()) > 4) return { problem: 'Commission per share: at most 4 decimals ($0.0001)' };
      return { value: Math.round(n * 10_000) };
    },
  },
  {
    key: 'broker.commissionMinCents',
    label: 'Minimum commission',
    unit: '$',
    show: (cents) => (cents / 100).toFixed(2),
    parse: (text) => {
      const n = numberIn(text, 0, 1000, 'Minimum commission', false);
      if (typeof n === 'string') return { problem: n };
      if (decimalsOf(text.trim()) > 2) return { problem: 'Minimum commission: whole cents only' };
      return { value: Math.round(n * 100) };
    },
  },
  {
    key: 'broker.maxVolumeParticipation',
    label: 'Max share of bar volume',
    unit: '%',
    show: (share) => String(Number((share * 100).toPrecision(12))),
    parse: (text) => {
      const n = numberIn(text, 0, 100, 'Max share of bar volume', true);
      return typeof n === 'string' ? { problem: n } : { value: n / 100 };
    },
  },
];

const ALL_KEYS: readonly BrokerRuleKey[] = ['broker.allowShort', ...FIELDS.map((f) => f.key)];

type Saved = Partial<Record<BrokerRuleKey, unknown>>;

/**
 * The paper broker's rules in the Account tab: shorting, spread, slippage, commission and the share of bar volume an
 * order may take. Each is a `broker.*` setting; the engine applies a saved change from the next order or fill,
 * without a restart. Problems show beside the field: typed values are checked here first, and a refusal by the
 * engine (a value out of range, or shorting turned off while the account is short) is shown where it belongs.
 */
export function BrokerRules() {
  const [saved, setSaved] = useState<Saved>({});
  const [texts, setTexts] = useState<Partial<Record<BrokerRuleKey, string>>>({});
  const [allowShort, setAllowShort] = useState<boolean | null>(null);
  const [problems, setProblems] = useState<Partial<Record<BrokerRuleKey, string>>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const adopt = useCallback((key: BrokerRuleKey, value: unknown) => {
    setSaved((s) => ({ ...s, [key]: value }));
    if (key === 'broker.allowShort') setAllowShort(value === true);
    else {
      const field = FIELDS.find((f) => f.key === key);
      if (field && typeof value === 'number') setTexts((t) => ({ ...t, [key]: field.show(value) }));
    }
  }, []);

  useEffect(() => {
    let live = true;
    api.settings.list().then((r) => {
      if (!live || !r.ok) return;
      for (const key of ALL_KEYS) adopt(key, r.value[key]);
    });
    return () => {
      live = false;
    };
  }, [adopt]);

  // Another window, the voice bar or the CLI may change a rule: show what the engine now uses.
  useEvent('onSettingsChanged', ({ key, value }) => {
    if ((ALL_KEYS as readonly string[]).includes(key)) adopt(key as BrokerRuleKey, value);
  });

  const fieldChanged = (field: RuleField): boolean => {
    const stored = saved[field.key];
    return typeof stored === 'number' && (texts[field.key] ?? '') !== field.show(stored);
  };
  const shortChanged = allowShort !== null && allowShort !== saved['broker.allowShort'];
  const dirty = shortChanged || FIELDS.some(fieldChanged);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    const found: Partial<Record<BrokerRuleKey, string>> = {};
    const changes: { key: BrokerRuleKey; value: unknown }[] = [];
    for (const field of FIELDS) {
      if (!fieldChanged(field)) continue;
      const parsed = field.parse(texts[field.key] ?? '');
      if ('problem' in parsed) found[field.key] = parsed.problem;
      else changes.push({ key: field.key, value: parsed.value });
    }
    if (shortChanged) changes.push({ key: 'broker.allowShort', value: allowShort });
    // Nothing is saved while any field is wrong: half a change of costs would be a rule set nobody chose.
    if (Object.keys(found).length > 0) {
      setProblems(found);
      return;
    }
    setSaving(true);
    let savedCount = 0;
    for (const change of changes) {
      const result = await api.settings.set(change);
      if (result.ok) {
        savedCount++;
        adopt(change.key, result.value.value);
      } else {
        found[change.key] = result.error.message;
        // A refused switch goes back to what the engine still uses; a refused number stays, to be corrected.
        if (change.key === 'broker.allowShort') setAllowShort(saved['broker.allowShort'] === true);
      }
    }
    setSaving(false);
    setProblems(found);
    if (savedCount > 0) setStatus('Saved: the broker applies these from the next order and fill.');
  };

  if (allowShort === null) return <p className="muted small-print">Loading the broker's rules…</p>;
  return (
    <form className="broker-rules" aria-label="Broker rules" onSubmit={(e) => void save(e)} noValidate>
      <h3 className="broker-rules-title">Broker rules</h3>
      <label className="broker-rule">
        <span>Allow short selling</span>
        <input
          type="checkbox"
          checked={allowShort}
          onChange={(e) => {
            setAllowShort(e.target.checked);
            setProblems((p) => ({ ...p, 'broker.allowShort': undefined }));
          }}
        />
      </label>
      {problems['broker.allowShort'] ? (
        <p className="field-error down" role="alert" data-testid="rule-error-broker.allowShort">
          {problems['broker.allowShort']}
        </p>
      ) : null}
      {FIELDS.map((field) => (
        <div key={field.key}>
          <label className="broker-rule">
            <span>
              {field.label} ({field.unit})
            </span>
            <input
              type="text"
              inputMode="decimal"
              aria-label={`${field.label} (${field.unit})`}
              aria-invalid={problems[field.key] ? true : undefined}
              value={texts[field.key] ?? ''}
              onChange={(e) => {
                const text = e.target.value;
                setTexts((t) => ({ ...t, [field.key]: text }));
                setProblems((p) => ({ ...p, [field.key]: undefined }));
              }}
            />
          </label>
          {problems[field.key] ? (
            <p className="field-error down" role="alert" data-testid={`rule-error-${field.key}`}>
              {problems[field.key]}
            </p>
          ) : null}
        </div>
      ))}
      <div className="account-actions">
        <button type="submit" className="small" disabled={!dirty || saving}>
          Save rules
        </button>
        {status ? (
          <span className="small-print" data-testid="rules-status">
            {status}
          </span>
        ) : null}
      </div>
    </form>
  );
}
