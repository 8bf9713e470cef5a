import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { Answer } from '../../../shared/domain/decision';
import { api } from '../api';
import { CommandHistory } from '../desk/command-history';
import { isTextField } from '../desk/text-field';
import { AnswerView } from './AnswerView';

const HISTORY_KEY = 'swaggy.commandHistory.v1';
const HISTORY_MAX = 50;

function loadHistory(): CommandHistory {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    const list = Array.isArray(saved) ? saved.filter((e): e is string => typeof e === 'string') : [];
    return new CommandHistory(list, HISTORY_MAX);
  } catch {
    return new CommandHistory([], HISTORY_MAX);
  }
}

function saveHistory(history: CommandHistory): void {
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(history.list()));
  } catch {
    // Storage full or disabled: the history lasts for this session only.
  }
}

interface CommandBarProps {
  /** The chart's symbol: questions that name none ("is this a bull flag?") are about it. */
  currentSymbol: string | null;
  /** The answer shown here (the feed leaves it out while it is), or null. */
  onPinnedChange: (answerId: string | null) => void;
}

/**
 * The command bar: a typed question or order goes to `engine.ask`, the same router as speech. It shows the slots
 * that answered (cache or computed, latency), the reply, and what became of an order. ↑ and ↓ walk the history,
 * Esc clears the field (then closes the answer), and / anywhere on the desk outside a text field jumps here.
 */
export function CommandBar({ currentSymbol, onPinnedChange }: CommandBarProps) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const history = useRef<CommandHistory | null>(null);
  history.current ??= loadHistory();
  const inputRef = useRef<HTMLInputElement>(null);
  const pinned = useRef(onPinnedChange);
  pinned.current = onPinnedChange;

  useEffect(() => {
    pinned.current(answer?.id ?? null);
  }, [answer]);

  // "/" focuses the bar from anywhere outside a text field (and outside an open dialog), as on most trading desks.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== '/' || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (document.querySelector('dialog[open]') || isTextField(document.activeElement)) return;
      e.preventDefault();
      inputRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const submit = async () => {
    const query = text.trim();
    if (query === '' || busy !== null) return;
    history.current?.push(query);
    if (history.current) saveHistory(history.current);
    setText('');
    setBusy(query);
    setError(null);
    const result = await api.engine.ask({ text: query, ...(currentSymbol ? { currentSymbol } : {}) });
    setBusy(null);
    if (result.ok) {
      setAnswer(result.value);
    } else {
      setAnswer(null);
      setError(`“${query}” was not answered: ${result.error.message}`);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
    if (e.key === 'ArrowUp') {
      const previous = history.current?.back(text);
      if (previous !== null && previous !== undefined) {
        e.preventDefault();
        setText(previous);
      }
    } else if (e.key === 'ArrowDown') {
      const next = history.current?.forward();
      if (next !== null && next !== undefined) {
        e.preventDefault();
        setText(next);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (text !== '') setText('');
      else {
        setAnswer(null);
        setError(null);
      }
    }
  };

  return (
    <div className="command-bar">
      <form className="command-form" onSubmit={onSubmit}>
        <input
          ref={inputRef}
          type="text"
          aria-label="Ask or order"
          placeholder="Ask or order…"
          autoComplete="off"
          spellCheck={false}
          maxLength={500}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          data-testid="command-input"
        />
        <button type="submit" className="primary" disabled={busy !== null || text.trim() === ''}>
          Ask
        </button>
      </form>
      {busy !== null ? (
        <p className="command-status muted" role="status">
          Asking “{busy}”…
        </p>
      ) : null}
      {error ? (
        <p className="inline-error" role="alert" data-testid="command-error">
          {error}
        </p>
      ) : null}
      {answer ? (
        <div className="command-answer" data-testid="command-answer" data-answer-id={answer.id}>
          <button
            type="button"
            className="icon-button command-close"
            aria-label="Close the answer"
            onClick={() => setAnswer(null)}
          >
            ×
          </button>
          <AnswerView answer={answer} />
        </div>
      ) : busy === null && !error ? (
        <p className="command-hint muted">
          {`Try “is this a bull flag?”, “should I buy ${currentSymbol ?? 'TSLA'} calls?”, “buy 10 ${currentSymbol ?? 'AAPL'}” or “what is the wash sale rule?”. `}
          <kbd>/</kbd> jumps here, <kbd>↑</kbd> recalls.
        </p>
      ) : null}
    </div>
  );
}
