import type { EventName, EventPayload } from '../../../shared/contract';
import type { EngineStats, SlotStats } from '../../../shared/contract/engine';
import type {
  IndicatorSnapshot,
  OptionAnalysis,
  PatternKind,
  PositionSizingResult,
} from '../../../shared/domain/analysis';
import type { OrderRequest } from '../../../shared/domain/broker';
import type { Alert, Answer, Decision, SlotRun } from '../../../shared/domain/decision';
import { type Intent, type OrderIntent, type SlotId, slotIds } from '../../../shared/domain/intent';
import type { OrderCheck, OrderContext, OrderToCheck } from '../../../shared/domain/knowledge';
import type { Bar, MarketSource, Timeframe } from '../../../shared/domain/market';
import { formatUsd, fromE4, toE4 } from '../../../shared/money';
import { AppError, toApiError } from '../../../shared/result';
import type { KnowledgeRepository } from '../agents/chatglm/knowledge-repository';
import { newYorkTime } from '../agents/chatglm/market-calendar';
import { decisionAlert, fillAlert, type Verbosity } from '../agents/minimax/alert-text';
import { answerFromHits } from '../agents/moonshot/patterns';
import { renderExplanation, type Synthesis } from '../agents/qwen/synthesis';
import type { NewsRepository } from '../agents/yi/news-repository';
import type { PaperBroker } from '../broker/paper-broker';
import { fingerprintJson, packBars } from '../cache/bar-fingerprint';
import { cacheKey, symbolTag } from '../cache/cache-key';
import type { PatternCache } from '../cache/pattern-cache';
import { PrefixStateCache } from '../cache/prefix-state-cache';
import type { Logger } from '../config';
import type { BarStore } from '../market/bar-store';
import type { MarketService } from '../market/market-service';
import { bestAction, type PolicyService } from '../policy/policy-service';
import type { WorkerPool } from '../workers/pool';
import { AdmissionController } from './admission';
import type { LiveFold } from './live-fold';
import { PerfMonitor } from './perf-monitor';
import { type PolicyFoldState, policyLiveFold, policyState } from './policy-fold';
import { parseIntent, routingTable } from './router';
import { type SeriesView, SeriesViews } from './series-views';
import {
  alertTextCall,
  impliedVolCall,
  indicatorsCall,
  indicatorsParams,
  internlm2LiveFold,
  internlm2Model,
  knowledgeCall,
  type OptionTerms,
  optionCall,
  orderCheckCall,
  PATTERN_WINDOW,
  type PolicyView,
  patternsCall,
  sentimentCall,
  sizingCall,
  synthesisCall,
  varCall,
} from './slot-calls';
import { slotCatalog } from './slot-catalog';
import { type EngineMode, type SlotResult, SlotRunner, withTimeout } from './slot-runner';
import { companyName } from './symbols';

export interface OrchestratorDeps {
  cache: PatternCache;
  market: MarketService;
  bars: BarStore;
  broker: PaperBroker;
  policy: PolicyService;
  /** Resolves once the policy has tried to load its model. */
  policyReady: () => Promise<unknown>;
  news: NewsRepository;
  knowledge: KnowledgeRepository;
  marketNow: () => number;
  sessionSymbols: () => ReadonlySet<string>;
  baseTimeframe: () => Timeframe;
  marketSource: () => MarketSource;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  halfLifeMs: () => number;
  verbosity: () => Verbosity;
  sloMs: number;
  wallClock: () => number;
  log: Logger;
  mode?: EngineMode;
  /** How admission yields between jobs (setImmediate in the engine). */
  schedule?: (fn: () => void) => void;
  /** The prefill pool (backfills after a load); without it the first decision per symbol computes in place. */
  pool?: Pick<WorkerPool, 'run'>;
}

export interface AskOptions {
  /**
   * `voice`: a spoken request (orders are read back and wait for "confirm", not placed); `voice-confirmed`: a spoken
   * order the trader confirmed, placed like a typed one.
   */
  origin: 'typed' | 'voice' | 'voice-confirmed' | 'engine';
  currentSymbol?: string;
}

const RECENT_DECISIONS = 200;
/** The policy's inference takes microseconds on the CPU; a provider that takes this long is stuck. */
const POLICY_TIMEOUT_MS = 1000;

/**
 * The engine's conductor: routes each request through the seed's table to the slots it needs (through the pattern
 * cache), synthesises decisions with Qwen, words them with MiniMax, places orders with the knowledge slot's
 * warnings, and runs the per-bar decision path ("decode") under SLO-aware admission.
 */
export class Orchestrator {
  readonly perf: PerfMonitor;
  readonly runner: SlotRunner;
  readonly admission: AdmissionController;
  readonly views: SeriesViews;
  private readonly prefix: PrefixStateCache;
  private readonly liveIndicators: ReturnType<typeof internlm2LiveFold>;
  private readonly livePolicy: LiveFold<PolicyFoldState, Float32Array | null>;
  private readonly decisions: Decision[] = [];
  private readonly lastAction = new Map<string, Decision['action']>();
  /** The stored news's content digest, Yi's cache key (see NewsRepository.contentVersion); null until first read. */
  private newsDigest: string | null = null;
  private counter = 0;
  private sampleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly deps: OrchestratorDeps) {
    this.perf = new PerfMonitor(deps.wallClock);
    this.runner = new SlotRunner(deps.cache, this.perf, deps.mode ?? 'cached');
    this.admission = new AdmissionController(
      { sloMs: deps.sloMs, maxDeferred: 64, now: () => performance.now() },
      deps.schedule,
    );
    this.prefix = new PrefixStateCache({ cache: deps.cache });
    this.liveIndicators = internlm2LiveFold(this.prefix);
    this.livePolicy = policyLiveFold();
    this.views = new SeriesViews(deps.market, deps.bars, deps.sessionSymbols, deps.baseTimeframe, deps.marketSource);
  }

  /** The digest scans the news table: read it once, and again only after the news changed. */
  private newsVersion(): string {
    this.newsDigest ??= this.deps.news.contentVersion();
    return this.newsDigest;
  }

  /** Starts the once-a-second sampling of the live performance plots. */
  startSampling(): void {
    if (this.sampleTimer) return;
    this.sampleTimer = setInterval(() => this.perf.sample(this.rejectedTotal()), 1000);
    this.sampleTimer.unref();
  }

  get mode(): EngineMode {
    return this.runner.mode;
  }

  set mode(mode: EngineMode) {
    this.runner.mode = mode;
  }

  /** News was imported: every sentiment aggregate is stale. */
  newsChanged(): void {
    this.newsDigest = null;
  }

  /** A new session or a jump in market time: forget the views, and backfill the new ones in the worker pool. */
  reset(): void {
    this.views.reset();
    this.liveIndicators.reset();
    this.livePolicy.reset();
    this.lastAction.clear();
    if (this.deps.pool && this.runner.mode === 'cached') {
      // After the load has finished: the reset arrives while the market is still building the session.
      setImmediate(() => void this.prefill([...this.deps.sessionSymbols()]));
    }
  }

  /**
   * Prefill: InternLM2's streaming state at every block boundary and the pattern scan, computed in a worker and
   * stored in the pattern cache by this thread. Resolves with the symbols it backfilled.
   */
  async prefill(symbols: readonly string[]): Promise<string[]> {
    const pool = this.deps.pool;
    if (!pool) return [];
    const done: string[] = [];
    for (const symbol of symbols) {
      if (this.closed) break;
      const view = this.views.view(symbol);
      if (!view || view.bars.length < 2) continue;
      try {
        const out = await pool.run('engine.prefill', {
          packed: packBars(view.bars).slice(),
          streamParams: internlm2Model.params,
          blockSize: this.prefix.blockSize,
          patternWindow: PATTERN_WINDOW,
        });
        if (this.closed) break;
        this.prefix.seed(internlm2Model, view.bars.slice(0, -1), out.states, { tags: [symbolTag(symbol)] });
        this.runner.store(patternsCall(view), out.patterns);
        done.push(symbol);
      } catch (e) {
        if (this.closed) break;
        this.deps.log.warn(`Prefill of ${symbol} failed; its first decision computes in place`, e);
      }
    }
    return done;
  }

  /**
   * A closed base bar of a session symbol: queue its decision. Older queued decisions of the same symbol are
   * superseded (only the newest bar matters) and, under overload, deferred or dropped before they cost anything.
   */
  onBar(symbol: string, timeframe: Timeframe): void {
    if (this.closed) return;
    this.views.invalidate(symbol, timeframe);
    const arrived = performance.now();
    void this.admission
      .submit('decide', 'decode', () => this.decide(symbol, 'decode', {}), symbol)
      .then((outcome) => {
        if (outcome.status !== 'done') {
          if (outcome.status === 'failed') this.deps.log.warn(`Decision on ${symbol} failed`, outcome.error);
          return;
        }
        this.perf.recordDecision((performance.now() - arrived) * 1000);
        const { decision } = outcome.value;
        const previous = this.lastAction.get(symbol);
        this.lastAction.set(symbol, decision.action);
        if (previous !== decision.action) this.publish(decision, outcome.value.alertText);
      });
  }

  /** A fill happened: say it first (fills outrank every other alert). */
  onFill(fill: { symbol: string; side: 'buy' | 'sell'; qty: number; priceE4: number; t: number }): void {
    const alert = fillAlert({ ...fill, price: fromE4(fill.priceE4) }, this.nextId('alert'));
    this.deps.emit('onAlert', alert);
  }

  /** Answers a typed or spoken request. User requests run first and are never rejected by admission. */
  async ask(text: string, options: AskOptions): Promise<Answer> {
    const started = performance.now();
    const intent = parseIntent(text, {
      knownSymbols: this.knownSymbols(),
      ...(options.currentSymbol ? { currentSymbol: options.currentSymbol.toUpperCase() } : {}),
    });
    const outcome = await this.admission.submit(`ask:${intent.kind}`, 'user', () => this.answer(intent, text, options));
    const latencyUs = (performance.now() - started) * 1000;
    this.perf.recordQuery(intent.kind, latencyUs);
    let answer: Answer;
    if (outcome.status === 'done') {
      answer = { ...outcome.value, latencyUs };
    } else {
      const message = outcome.status === 'failed' ? toApiError(outcome.error).message : 'The engine is overloaded';
      answer = {
        id: this.nextId('answer'),
        query: text,
        intent,
        slots: [],
        text: message,
        latencyUs,
        degraded: [message],
      };
    }
    this.deps.emit('onAnswer', answer);
    return answer;
  }

  /** The knowledge slot's warnings for an order (a spoken order's read-back mentions them). */
  orderWarnings(check: OrderToCheck): string[] {
    const view = this.views.view(check.symbol);
    if (!view) return [];
    const context = this.orderContext(check.symbol, (view.bars[view.bars.length - 1] as Bar).c);
    const result = this.runner.run(orderCheckCall(check, context, fingerprintJson(context)));
    return (result.value?.warnings ?? [])
      .filter((w) => w.severity !== 'info')
      .map((w) => `${w.severity === 'block' ? 'Blocked' : 'Warning'}: ${w.title}`);
  }

  recentDecisions(limit = 50): Decision[] {
    return this.decisions.slice(-limit).reverse();
  }

  slotStats(): SlotStats[] {
    return slotIds.map((id) => ({
      ...slotCatalog[id],
      inputs: [...slotCatalog[id].inputs],
      ...this.perf.slotStats(id),
    }));
  }

  stats(): EngineStats {
    const a = this.admission.stats();
    return {
      mode: this.runner.mode,
      sloMs: a.sloMs,
      slots: this.slotStats(),
      queries: this.perf.queryStats(),
      decisions: this.perf.decisionStats(),
      admission: {
        submitted: a.submitted,
        completed: a.completed,
        rejected: a.rejected,
        missed: a.missed,
        deferred: a.deferred,
        coalesced: a.coalesced,
        queued: a.queued,
      },
      hitRate: this.perf.hitRate(),
      samples: this.perf.recentSamples(),
    };
  }

  close(): void {
    this.closed = true;
    if (this.sampleTimer) clearInterval(this.sampleTimer);
  }

  // ---------------------------------------------------------------------------------------------------------------

  private rejectedTotal(): number {
    const r = this.admission.stats().rejected;
    return r.user + r.decode + r.background;
  }

  private nextId(prefix: string): string {
    this.counter++;
    return `${prefix}-${this.deps.marketNow().toString(36)}-${this.counter.toString(36)}`;
  }

  private knownSymbols(): Set<string> {
    const known = new Set(this.deps.sessionSymbols());
    for (const s of this.deps.bars.listSeries()) known.add(s.symbol);
    return known;
  }

  private requireView(symbol: string): SeriesView {
    const view = this.views.view(symbol);
    if (!view) {
      throw new AppError(
        'NOT_FOUND',
        `No bars for ${symbol}: it is not in the running replay and no data was imported for it.`,
      );
    }
    return view;
  }

  private publish(decision: Decision, alertText: string | null): void {
    this.decisions.push(decision);
    if (this.decisions.length > RECENT_DECISIONS) this.decisions.shift();
    this.deps.emit('onDecision', decision);
    if (alertText !== null && decision.action !== 'HOLD') {
      const alert: Alert = { ...decisionAlert(decision, this.deps.verbosity(), this.nextId('alert')), text: alertText };
      this.deps.emit('onAlert', alert);
    }
  }

  /** Runs the slots for one symbol and synthesises a decision (the decode path and comprehensive questions). */
  private async decide(
    symbol: string,
    trigger: 'decode' | 'query',
    extras: { option?: OptionTerms; side?: 'buy' | 'sell' },
  ): Promise<{ decision: Decision; runs: SlotRun[]; alertText: string | null; option?: SlotResult<unknown> }> {
    const view = this.requireView(symbol);
    const runs: SlotRun[] = [];
    const degraded: string[] = [];
    const take = <T>(result: SlotResult<T>): SlotResult<T> => {
      runs.push(result.run);
      if (!result.run.ok || result.run.error)
        degraded.push(`${slotCatalog[result.run.slot].name}: ${result.run.error}`);
      return result;
    };
    const last = view.bars[view.bars.length - 1] as Bar;
    const indicators = take(this.runner.run(indicatorsCall(view, this.runner.mode, this.liveIndicators)));
    const patterns = take(this.runner.run(patternsCall(view)));
    const sentiment = take(
      this.runner.run(
        sentimentCall(symbol, this.deps.marketNow(), {
          repo: this.deps.news,
          newsVersion: () => this.newsVersion(),
          halfLifeMs: this.deps.halfLifeMs,
        }),
      ),
    );
    const policy = await this.policyView(view);
    if (policy.error) degraded.push(`DQN policy: ${policy.error}`);
    const account = this.deps.broker.summary();
    const equity = fromE4(account.equityE4);

    let option: SlotResult<unknown> | undefined;
    let warnings: SlotResult<OrderCheck> | undefined;
    if (trigger === 'query') {
      option = extras.option
        ? (take(this.runner.run(optionCall(view, extras.option))) as SlotResult<unknown>)
        : (take(
            this.runner.run(sizingCall(view, equity, undefined, indicators.value?.atr ?? null)),
          ) as SlotResult<unknown>);
      const side = extras.side ?? 'buy';
      const check: OrderToCheck = { symbol, side, qty: 1, type: 'market' };
      const context = this.orderContext(symbol, last.c);
      warnings = take(this.runner.run(orderCheckCall(check, context, fingerprintJson(context))));
    }

    const synthesis = take(
      this.runner.run(
        synthesisCall(
          {
            symbol,
            t: last.t,
            price: last.c,
            lastIndex: Math.min(view.bars.length, 300) - 1,
            equityE4: account.equityE4,
            ...(indicators.value
              ? { indicators: { value: indicators.value, fromCache: indicators.run.fromCache } }
              : {}),
            ...(patterns.value ? { patterns: { value: patterns.value, fromCache: patterns.run.fromCache } } : {}),
            ...(sentiment.value ? { sentiment: { value: sentiment.value, fromCache: sentiment.run.fromCache } } : {}),
            ...(policy.value ? { policy: { value: policy.value, fromCache: policy.fromCache } } : {}),
            ...(extras.option && option?.value
              ? { option: { value: option.value as OptionAnalysis, fromCache: option.run.fromCache } }
              : {}),
            ...(!extras.option && option?.value
              ? { sizing: { value: option.value as PositionSizingResult, fromCache: option.run.fromCache } }
              : {}),
            ...(warnings?.value
              ? { warnings: { value: warnings.value.warnings, fromCache: warnings.run.fromCache } }
              : {}),
          },
          {
            inputs: [
              indicators.key,
              patterns.key,
              sentiment.key,
              policy.key,
              option?.key ?? null,
              warnings?.key ?? null,
            ],
            equityBucket: Math.round(equity / 1000),
          },
        ),
      ),
    );
    const s: Synthesis = synthesis.value ?? {
      action: 'HOLD',
      confidence: 0,
      score: 0,
      suggestedQty: 0,
      contributions: [],
      explanation: `HOLD ${symbol}: the synthesis failed (${synthesis.run.error}).`,
      template: `HOLD ${symbol}: the synthesis failed (${synthesis.run.error}).`,
      warnings: [],
    };
    // The decision may come from the cache; whether each input did is a fact of this call.
    const fromCache: Record<string, boolean> = {
      internlm2: indicators.run.fromCache,
      moonshot: patterns.run.fromCache,
      yi: sentiment.run.fromCache,
      policy: policy.fromCache,
      chatglm: warnings?.run.fromCache ?? false,
      deepseek: option?.run.fromCache ?? false,
    };
    const explanation = renderExplanation(s.template, fromCache);
    const decision: Decision = {
      id: this.nextId('decision'),
      symbol,
      t: last.t,
      action: s.action,
      confidence: s.confidence,
      suggestedQty: s.suggestedQty,
      price: last.c,
      contributions: s.contributions.map((c) => ({ ...c, fromCache: fromCache[c.slot] ?? false })),
      explanation: degraded.length ? `${explanation} Degraded: ${degraded.join('; ')}.` : explanation,
      warnings: s.warnings,
      fromCache: synthesis.run.fromCache,
      degraded,
    };
    // MiniMax words it; the decode path only pays for it when the action changes.
    let alertText: string | null = null;
    if (trigger === 'query' || this.lastAction.get(symbol) !== decision.action) {
      const minimax = take(this.runner.run(alertTextCall(decision, this.deps.verbosity())));
      alertText = minimax.value ?? null;
    }
    return { decision, runs, alertText, ...(option ? { option } : {}) };
  }

  /** The DQN policy's action on the view, cached per model version and view (the "decision" namespace). */
  private async policyView(
    view: SeriesView,
  ): Promise<{ value: PolicyView | null; fromCache: boolean; key: string | null; error?: string }> {
    await this.deps.policyReady();
    const status = this.deps.policy.status();
    if (!status.available || !status.version) {
      return { value: null, fromCache: false, key: null, error: status.error ?? 'no model loaded' };
    }
    const position = this.deps.broker.positions().find((p) => p.symbol === view.symbol);
    const held = position ? (position.qty > 0 ? 'long' : position.qty < 0 ? 'short' : 'flat') : 'flat';
    const spec = {
      slot: 'policy',
      modelVersion: status.version,
      params: { kind: 'action', timeframe: view.timeframe, position: held },
      // Equivalent to a fingerprint of the policy state: only the cached mode reaches the cache, and there the state
      // is a pure function of the view's bars (folded from its first bar), the timeframe and the held position, all
      // in this key. It can tell apart views that give the same state (a miss more), never serve another state's.
      inputFingerprint: view.fingerprint,
    };
    const compute = async (): Promise<PolicyView | null> => {
      if (this.runner.mode === 'cached') {
        // The decode path's features advance one bar at a time; one inference on the runtime.
        const rows = this.livePolicy.advance(view);
        if (!rows) return null;
        const state = policyState(rows, held);
        const [q] = await this.deps.policy.requireRuntime().qValues([state]);
        const qValues = [...(q as Float32Array)];
        return { action: bestAction(qValues), qValues };
      }
      const result = await this.deps.policy.actions({
        symbols: [view.symbol],
        timeframe: view.timeframe,
        positions: { [view.symbol]: held },
        bars: () => view.bars.slice(-512),
      });
      const d = result.decisions[0];
      if (!d || d.action === null) return null;
      return { action: d.action, qValues: d.qValues };
    };
    try {
      if (this.runner.mode === 'traditional')
        return {
          value: await withTimeout(compute(), POLICY_TIMEOUT_MS, 'The DQN policy'),
          fromCache: false,
          key: null,
        };
      const outcome = await this.deps.cache.getOrCompute(
        { ...spec, namespace: 'decision', ttlClass: 'signal', tags: [symbolTag(view.symbol)] },
        // A stuck execution provider must not hold the decision: past the budget it is made without the policy.
        () => withTimeout(compute(), POLICY_TIMEOUT_MS, 'The DQN policy'),
      );
      return {
        value: outcome.value,
        fromCache: outcome.source === 'memory' || outcome.source === 'sqlite',
        key: outcome.key,
      };
    } catch (e) {
      return { value: null, fromCache: false, key: cacheKey(spec), error: toApiError(e).message };
    }
  }

  /** What the knowledge slot needs to check an order: the account, recent trades and loss sales, the price. */
  private orderContext(symbol: string, lastPrice: number): OrderContext {
    const broker = this.deps.broker;
    const summary = broker.summary();
    const position = broker.positions().find((p) => p.symbol === symbol);
    const now = this.deps.marketNow();
    const fills = broker.fills({ limit: 500 });
    const monthAgo = now - 31 * 86_400_000;
    const cashAccount = !summary.allowShort;
    // Sales settle T+1 (US equities since May 2024): in a cash account, today's sale proceeds are not settled yet,
    // and buying with them and selling before they settle is a good-faith violation.
    let unsettledE4 = 0;
    if (cashAccount) {
      const today = newYorkTime(now).day;
      for (const f of fills) {
        // The numeric test first: the New York date costs a formatter call, and there can be 500 fills.
        if (f.side === 'sell' && f.t <= now && f.t > now - 86_400_000 && newYorkTime(f.t).day === today)
          unsettledE4 += f.qty * f.priceE4 - f.commissionE4;
      }
      unsettledE4 = Math.max(0, Math.min(unsettledE4, summary.cashE4));
    }
    const change = this.changeFromPriorClosePct(symbol);
    return {
      accountType: cashAccount ? 'cash' : 'margin',
      ...(cashAccount ? { settledCashE4: summary.cashE4 - unsettledE4, unsettledCashE4: unsettledE4 } : {}),
      ...(change !== null ? { changeFromPriorClosePct: change } : {}),
      nowMs: now,
      equityE4: summary.equityE4,
      buyingPowerE4: summary.buyingPowerE4,
      lastPriceE4: Math.max(1, toE4(lastPrice)),
      positionQty: position?.qty ?? 0,
      ...(position?.avgPriceE4 ? { avgCostE4: Math.abs(position.avgPriceE4) } : {}),
      trades: fills
        .filter((f) => f.t >= now - 10 * 86_400_000)
        .map((f) => ({ symbol: f.symbol, side: f.side, qty: f.qty, tMs: f.t, priceE4: f.priceE4 })),
      lossSales: fills
        .filter((f) => f.side === 'sell' && f.realizedPnlE4 < 0 && f.t >= monthAgo)
        .map((f) => ({ symbol: f.symbol, tMs: f.t, qty: f.qty, lossE4: -f.realizedPnlE4 })),
    };
  }

  /**
   * The symbol's change from the previous session's close, in percent: from the live quote in the running replay,
   * or from the last two daily bars of imported data; null when neither says (the short-sale-restriction check then
   * has nothing to go on, and says nothing).
   */
  private changeFromPriorClosePct(symbol: string): number | null {
    if (this.deps.sessionSymbols().has(symbol)) {
      const q = this.deps.market.quotes().quotes.find((x) => x.symbol === symbol);
      return q?.changePct ?? null;
    }
    const view = this.views.view(symbol);
    if (view?.timeframe !== '1d' || view.bars.length < 2) return null;
    const last = view.bars[view.bars.length - 1] as Bar;
    const prev = view.bars[view.bars.length - 2] as Bar;
    return prev.c > 0 ? (last.c / prev.c - 1) * 100 : null;
  }

  private async answer(intent: Intent, query: string, options: AskOptions): Promise<Answer> {
    const base = { id: this.nextId('answer'), query, intent, latencyUs: 0 };
    const runs: SlotRun[] = [];
    const take = <T>(result: SlotResult<T>): T | undefined => {
      runs.push(result.run);
      return result.value;
    };
    const degradedOf = () => runs.filter((r) => !r.ok || r.error).map((r) => `${slotCatalog[r.slot].name}: ${r.error}`);
    const reply = (text: string, extra: Partial<Answer> = {}): Answer => ({
      ...base,
      slots: runs,
      text,
      degraded: degradedOf(),
      ...extra,
    });

    switch (intent.kind) {
      case 'unknown':
        return reply(
          `${intent.reason} Try: ${intent.suggestions
            .slice(0, 4)
            .map((s) => `"${s}"`)
            .join(', ')}.`,
        );
      case 'confirm':
      case 'cancel':
      case 'correct':
        return reply(
          'Nothing is waiting for confirmation. Spoken orders are read back first; then say confirm or cancel.',
        );
      case 'knowledge': {
        const answer = take(this.runner.run(knowledgeCall(this.deps.knowledge, intent.question)));
        if (!answer) return reply('The knowledge slot failed; see the agent panel.');
        return reply(
          answer.found
            ? `${answer.answer} (ChatGLM, from "${answer.passages[0]?.title}"${runs[0]?.fromCache ? ', cached' : ''})`
            : answer.answer,
        );
      }
      case 'order':
        return this.answerOrder(intent, reply, take, options);
      case 'comprehensive': {
        const result = await this.decide(intent.symbol, 'query', {
          ...(intent.option ? { option: intent.option } : {}),
          ...(intent.side ? { side: intent.side } : {}),
        });
        runs.push(...result.runs);
        this.lastAction.set(intent.symbol, result.decision.action);
        this.publish(result.decision, result.alertText);
        return reply(result.decision.explanation, { decision: result.decision });
      }
      default:
        return this.answerAnalysis(intent, reply, take);
    }
  }

  private answerAnalysis(
    intent: Extract<Intent, { kind: 'price' | 'technical' | 'pattern' | 'math' | 'sentiment' }>,
    reply: (text: string, extra?: Partial<Answer>) => Answer,
    take: <T>(result: SlotResult<T>) => T | undefined,
  ): Answer {
    const symbol = intent.symbol ?? '';
    const view = intent.kind === 'math' && !intent.symbol ? null : this.requireView(symbol);
    const parts: string[] = [];
    let fingerprint = view?.fingerprint ?? 'no-series';
    switch (intent.kind) {
      case 'price': {
        // A price question is Qwen's alone: it reads whatever the other slots already have in the cache.
        break;
      }
      case 'technical': {
        const s = view ? take(this.runner.run(indicatorsCall(view, this.runner.mode, this.liveIndicators))) : undefined;
        if (s) parts.push(indicatorSentence(s));
        break;
      }
      case 'pattern': {
        if (!view) break;
        if (intent.pattern === 'any') {
          const hits = take(this.runner.run(patternsCall(view)));
          const recent = (hits ?? []).filter((h) => h.endIndex >= Math.min(view.bars.length, 300) - 10);
          parts.push(
            recent.length
              ? `Recent patterns on ${symbol}: ${recent
                  .slice(-4)
                  .map((h) => `${h.name} (${Math.round(h.confidence * 100)}%)`)
                  .join(', ')}.`
              : `No pattern in the last 10 ${view.timeframe} bars of ${symbol}.`,
          );
        } else {
          const kinds: PatternKind[] =
            intent.pattern === 'breakout' ? ['breakout_up', 'breakout_down'] : [intent.pattern as PatternKind];
          // The question is answered from the window's scan, which the decode path has usually cached already.
          const hits = take(this.runner.run(patternsCall(view)));
          if (hits) {
            const windowLength = Math.min(view.bars.length, PATTERN_WINDOW);
            for (const kind of kinds) {
              const a = answerFromHits(kind, hits, windowLength);
              parts.push(a.found ? `Yes: ${a.reason}` : `No: ${a.reason}`);
            }
          }
        }
        break;
      }
      case 'math': {
        if (!view) {
          parts.push('Name a symbol: the maths needs its price and volatility from the data.');
          break;
        }
        if (intent.topic === 'option_price' || intent.topic === 'greeks') {
          const terms: OptionTerms = intent.option ?? { right: 'call' };
          const o = take(this.runner.run(optionCall(view, terms)));
          if (o) {
            const g = o.quote.greeks;
            const assumed = o.assumptions.filter((a) => a.source !== 'user');
            parts.push(
              `Black-Scholes: the ${symbol} ${o.quote.inputs.strike} ${o.quote.inputs.right} expiring in ${Math.round(o.daysToExpiry)} days is worth $${o.quote.price.toFixed(2)} (delta ${g.delta.toFixed(3)}, gamma ${g.gamma.toFixed(4)}, vega ${g.vega.toFixed(3)}, theta ${g.theta.toFixed(3)} a day).`,
              `Assumed: ${assumed.map((a) => `${a.input} ${formatAssumption(a.input, a.value)} (${a.source === 'data' ? 'from the data' : 'default'}${a.note ? `: ${a.note}` : ''})`).join('; ')}.`,
            );
          }
        } else if (intent.topic === 'implied_volatility') {
          if (!intent.optionPrice) {
            parts.push(
              'Give the option price too, for example "implied volatility of an AAPL 180 put expiring in 14 days trading at 3.10".',
            );
          } else {
            const r = take(
              this.runner.run(impliedVolCall(view, intent.option ?? { right: 'call' }, intent.optionPrice)),
            );
            if (r)
              parts.push(`Implied volatility ${(r.volatility * 100).toFixed(1)}% (${r.method}, rate 4.5% assumed).`);
          }
        } else if (intent.topic === 'var') {
          const position = this.deps.broker.positions().find((p) => p.symbol === symbol);
          const value = position ? Math.abs(fromE4(position.marketValueE4)) : 10_000;
          const r = take(this.runner.run(varCall(view, value)));
          if (r) {
            parts.push(
              `95% one-bar VaR on ${position ? 'your' : 'a $10,000'} ${symbol} position: ${formatUsd(toE4(r.historical.varAmount ?? 0))} historical (${(r.historical.var * 100).toFixed(2)}%), ${formatUsd(toE4(r.parametric.varAmount ?? 0))} parametric; expected shortfall ${formatUsd(toE4(r.historical.cvarAmount ?? 0))}.`,
            );
          }
        } else {
          // DeepSeek reads the ATR from InternLM2's result in the cache (computing it only on a miss).
          const atr =
            this.runner.peek<IndicatorSnapshot>('internlm2', indicatorsParams(view), view.fingerprint)?.atr ??
            take(this.runner.run(indicatorsCall(view, this.runner.mode, this.liveIndicators)))?.atr ??
            null;
          const equity = fromE4(this.deps.broker.summary().equityE4);
          const sizing = take(this.runner.run(sizingCall(view, equity, intent.stopPrice, atr)));
          if (sizing) {
            parts.push(
              `Size: ${sizing.shares} shares of ${symbol} (${formatUsd(toE4(sizing.notional))}), risking 1% of equity${intent.stopPrice ? ` with your stop at ${intent.stopPrice}` : ' with a stop two ATRs below'}${sizing.capped ? ', capped at 25% of equity' : ''}.`,
            );
          }
        }
        break;
      }
      case 'sentiment': {
        const a = take(
          this.runner.run(
            sentimentCall(symbol, this.deps.marketNow(), {
              repo: this.deps.news,
              newsVersion: () => this.newsVersion(),
              halfLifeMs: this.deps.halfLifeMs,
            }),
          ),
        );
        if (a) {
          parts.push(
            a.count === 0
              ? `No news for ${symbol} up to the replay's current time. Import news (CSV or JSON with time, symbol, text) to score it.`
              : `Sentiment on ${symbol} is ${a.label} (${a.score >= 0 ? '+' : ''}${a.score.toFixed(2)}) over ${a.count} item${a.count === 1 ? '' : 's'}, most recent first weighted; top: "${a.topHeadlines[0]?.text ?? ''}".`,
          );
          fingerprint += `|news-v${this.newsVersion()}`;
        }
        break;
      }
    }

    // Qwen words the answer, adding what the other slots already have in the cache for this bar.
    const qwen = take(
      this.runner.run({
        slot: 'qwen',
        params: { kind: 'answer', intent },
        fingerprint: `${fingerprint}|${parts.join('|')}`,
        tags: symbol ? [symbolTag(symbol)] : [],
        compute: () => {
          const lines = [...parts];
          if (view) lines.unshift(this.priceSentence(view));
          if (view && intent.kind === 'price') {
            const cached = this.runner.peek<IndicatorSnapshot>('internlm2', indicatorsParams(view), view.fingerprint);
            if (cached) lines.push(`${indicatorSentence(cached)} (InternLM2, from the cache)`);
            const decision = this.decisions.findLast((d) => d.symbol === view.symbol);
            if (decision)
              lines.push(`Latest decision: ${decision.action} (${Math.round(decision.confidence * 100)}%).`);
          }
          return lines.join(' ');
        },
        summarize: (text) => (text.length > 80 ? `${text.slice(0, 77)}...` : text),
      }),
    );
    return reply(qwen ?? parts.join(' '));
  }

  private priceSentence(view: SeriesView): string {
    const quote = this.deps.sessionSymbols().has(view.symbol)
      ? this.deps.market.quotes().quotes.find((q) => q.symbol === view.symbol)
      : undefined;
    const last = view.bars[view.bars.length - 1] as Bar;
    const name = companyName(view.symbol);
    const label = name ? `${view.symbol} (${name})` : view.symbol;
    if (quote?.last) {
      const change =
        quote.change !== null && quote.changePct !== null
          ? `, ${quote.change >= 0 ? '+' : ''}${quote.change.toFixed(2)} (${quote.changePct >= 0 ? '+' : ''}${quote.changePct.toFixed(2)}%) today`
          : '';
      return `${label} last ${quote.last.toFixed(2)}${change}${quote.source === 'synthetic' ? ' (simulated market)' : ''}.`;
    }
    return `${label} closed at ${last.c.toFixed(2)} on ${new Date(last.t).toISOString().slice(0, 10)} (imported data).`;
  }

  private answerOrder(
    intent: OrderIntent,
    reply: (text: string, extra?: Partial<Answer>) => Answer,
    take: <T>(result: SlotResult<T>) => T | undefined,
    options: AskOptions,
  ): Answer {
    const view = this.views.view(intent.symbol);
    const lastPrice = view ? (view.bars[view.bars.length - 1] as Bar).c : undefined;
    const check: OrderToCheck = {
      symbol: intent.symbol,
      side: intent.side,
      qty: intent.qty,
      type: intent.type,
      ...(intent.limitPrice !== undefined ? { limitPrice: intent.limitPrice } : {}),
      ...(intent.stopPrice !== undefined ? { stopPrice: intent.stopPrice } : {}),
    };
    const warnings: string[] = [];
    if (lastPrice !== undefined) {
      const context = this.orderContext(intent.symbol, lastPrice);
      const result = take(this.runner.run(orderCheckCall(check, context, fingerprintJson(context))));
      for (const w of result?.warnings ?? [])
        warnings.push(`${w.severity === 'block' ? 'Blocked' : 'Warning'}: ${w.title}. ${w.message}`);
      if (result && !result.allowed) {
        return reply(`Not placed. ${warnings.join(' ')}`, {
          order: { status: 'rejected', message: warnings.join(' ') },
        });
      }
    }
    const readBack = describeOrder(intent, lastPrice);
    if (options.origin === 'voice') {
      return reply(`${readBack} Say confirm or cancel.${warnings.length ? ` ${warnings.join(' ')}` : ''}`, {
        order: { status: 'needs_confirmation', message: readBack },
      });
    }
    const request: OrderRequest = {
      symbol: intent.symbol,
      side: intent.side,
      qty: intent.qty,
      type: intent.type,
      tif: intent.tif,
      ...(intent.limitPrice !== undefined ? { limitPrice: intent.limitPrice } : {}),
      ...(intent.stopPrice !== undefined ? { stopPrice: intent.stopPrice } : {}),
      ...(intent.bracket
        ? { bracket: { takeProfitLimitPrice: intent.bracket.takeProfit, stopLossStopPrice: intent.bracket.stopLoss } }
        : {}),
      clientTag: options.origin === 'voice-confirmed' ? 'voice' : options.origin,
    };
    try {
      const order = this.deps.broker.place(request, this.deps.marketNow());
      return reply(`Placed order #${order.id}: ${readBack}${warnings.length ? ` ${warnings.join(' ')}` : ''}`, {
        order: { status: 'placed', orderId: String(order.id), message: readBack },
      });
    } catch (e) {
      const error = toApiError(e);
      return reply(`Not placed: ${error.message}`, { order: { status: 'rejected', message: error.message } });
    }
  }
}

/** "Buy 10 Apple at market, about $1,920." */
export function describeOrder(intent: OrderIntent, lastPrice: number | undefined): string {
  const verb = intent.opensShort ? 'Short' : intent.side === 'buy' ? 'Buy' : 'Sell';
  const name = companyName(intent.symbol) ?? intent.symbol;
  const how =
    intent.type === 'market'
      ? 'at market'
      : intent.type === 'limit'
        ? `limit ${intent.limitPrice}`
        : intent.type === 'stop'
          ? `stop ${intent.stopPrice}`
          : `stop ${intent.stopPrice} limit ${intent.limitPrice}`;
  const price = intent.limitPrice ?? intent.stopPrice ?? lastPrice;
  const about = price ? `, about ${formatUsd(toE4(price * intent.qty)).replace('.00', '')}` : '';
  const bracket = intent.bracket
    ? `, take profit ${intent.bracket.takeProfit}, stop loss ${intent.bracket.stopLoss}`
    : '';
  return `${verb} ${intent.qty} ${name} ${how}${intent.tif === 'gtc' ? ', good till cancelled' : ''}${bracket}${about}.`;
}

function indicatorSentence(s: IndicatorSnapshot): string {
  const parts: string[] = [];
  if (s.rsi !== null)
    parts.push(`RSI ${s.rsi.toFixed(1)}${s.rsi >= 70 ? ' (overbought)' : s.rsi <= 30 ? ' (oversold)' : ''}`);
  const sma50 = s.sma['50'];
  if (sma50 !== null && sma50 !== undefined)
    parts.push(`${s.close >= sma50 ? 'above' : 'below'} its 50-bar average (${sma50.toFixed(2)})`);
  if (s.macd)
    parts.push(
      `MACD ${s.macd.macd.toFixed(3)}${s.macd.signal !== null ? ` vs signal ${s.macd.signal.toFixed(3)}` : ''}`,
    );
  if (s.bollinger) parts.push(`Bollinger ${s.bollinger.lower.toFixed(2)}–${s.bollinger.upper.toFixed(2)}`);
  if (s.atr !== null) parts.push(`ATR ${s.atr.toFixed(2)}`);
  if (s.realizedVol !== null) parts.push(`realised vol ${(s.realizedVol * 100).toFixed(1)}%`);
  if (s.anomalies.length) parts.push(`flags: ${s.anomalies.map((a) => a.kind.replace('_', ' ')).join(', ')}`);
  return `${parts.join(', ')}.`;
}

function formatAssumption(input: string, value: number): string {
  if (input === 'volatility' || input === 'rate' || input === 'dividendYield') return `${(value * 100).toFixed(1)}%`;
  if (input === 'spot') return value.toFixed(2);
  return String(value);
}

/** Which slots the seed's table routes an intent to (for the UI and the benchmark). */
export function routedSlots(intent: Intent): readonly SlotId[] {
  return routingTable[intent.kind];
}
