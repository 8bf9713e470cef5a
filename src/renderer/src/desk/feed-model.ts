/**
 * What the decision feed lists, newest first: decisions (with the question that asked for one and the alert that
 * announced it folded into the same card), fill, risk and information alerts, and answers to questions. Events
 * arrive in any order (a decision's alert may come before the decision, a comprehensive answer after it); each
 * thing appears once.
 */
import type { Alert, Answer, Decision } from '../../../shared/domain/decision';

export type FeedItem =
  | { kind: 'decision'; key: string; seq: number; decision: Decision; answer: Answer | null; alert: Alert | null }
  | { kind: 'alert'; key: string; seq: number; alert: Alert }
  | { kind: 'answer'; key: string; seq: number; answer: Answer };

/** Items kept; the oldest go first. */
export const FEED_MAX_ITEMS = 200;

export class FeedModel {
  private readonly byKey = new Map<string, FeedItem>();
  private nextSeq = 1;
  /** Loaded history goes below everything that arrived live. */
  private nextHistorySeq = 0;
  private cached: readonly FeedItem[] | null = [];

  constructor(private readonly max = FEED_MAX_ITEMS) {}

  addDecision(decision: Decision): void {
    const key = decisionKey(decision.id);
    const existing = this.byKey.get(key);
    if (existing?.kind === 'decision') {
      this.put({ ...existing, decision });
      return;
    }
    this.put({
      kind: 'decision',
      key,
      seq: this.nextSeq++,
      decision,
      answer: null,
      alert: this.takeAlertOf(decision.id),
    });
  }

  addAlert(alert: Alert): void {
    if (alert.decisionId) {
      const card = this.byKey.get(decisionKey(alert.decisionId));
      if (card?.kind === 'decision') {
        this.put({ ...card, alert });
        return;
      }
    }
    const key = `alert:${alert.id}`;
    if (this.byKey.has(key)) return;
    this.put({ kind: 'alert', key, seq: this.nextSeq++, alert });
  }

  addAnswer(answer: Answer): void {
    if (answer.decision) {
      const key = decisionKey(answer.decision.id);
      const card = this.byKey.get(key);
      if (card?.kind === 'decision') {
        this.put({ ...card, answer });
      } else {
        this.put({
          kind: 'decision',
          key,
          seq: this.nextSeq++,
          decision: answer.decision,
          answer,
          alert: this.takeAlertOf(answer.decision.id),
        });
      }
      return;
    }
    const key = `answer:${answer.id}`;
    if (this.byKey.has(key)) return;
    this.put({ kind: 'answer', key, seq: this.nextSeq++, answer });
  }

  /** Decisions from before the desk opened (`engine.decisions`, newest first), placed below the live ones. */
  loadDecisions(newestFirst: readonly Decision[]): void {
    for (const decision of newestFirst) {
      const key = decisionKey(decision.id);
      if (this.byKey.has(key)) continue;
      this.put({ kind: 'decision', key, seq: this.nextHistorySeq--, decision, answer: null, alert: null });
    }
  }

  /** Newest first. The same array until something changes. */
  items(): readonly FeedItem[] {
    if (!this.cached) this.cached = [...this.byKey.values()].sort((a, b) => b.seq - a.seq);
    return this.cached;
  }

  private put(item: FeedItem): void {
    this.byKey.set(item.key, item);
    if (this.byKey.size > this.max) {
      let oldest: FeedItem | null = null;
      for (const i of this.byKey.values()) if (!oldest || i.seq < oldest.seq) oldest = i;
      if (oldest) this.byKey.delete(oldest.key);
    }
    this.cached = null;
  }

  /** An alert that arrived before its decision becomes part of the decision's card. */
  private takeAlertOf(decisionId: string): Alert | null {
    for (const item of this.byKey.values()) {
      if (item.kind === 'alert' && item.alert.decisionId === decisionId) {
        this.byKey.delete(item.key);
        this.cached = null;
        return item.alert;
      }
    }
    return null;
  }
}

function decisionKey(id: string): string {
  return `decision:${id}`;
}
