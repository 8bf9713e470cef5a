import path from 'node:path';
import type { EventName, EventPayload } from '../../shared/contract';
import type { Alert } from '../../shared/domain/decision';
import { slotIds } from '../../shared/domain/intent';
import type { Timeframe } from '../../shared/domain/market';
import type { SpokenCommand, VoiceSettings } from '../../shared/domain/voice';
import { voiceSettingsSchema } from '../../shared/domain/voice';
import { centsToE4 } from '../../shared/money';
import { AppError } from '../../shared/result';
import { chatGlmHandlers } from './agents/chatglm/chatglm-handlers';
import { KnowledgeRepository } from './agents/chatglm/knowledge-repository';
import { decisionAlertText } from './agents/minimax/alert-text';
import { NewsRepository } from './agents/yi/news-repository';
import { yiHandlers } from './agents/yi/yi-handlers';
import { appHandlers } from './app/app-handlers';
import { brokerHandlers } from './broker/broker-handlers';
import { brokerRulesFromSettings, isBrokerRuleSetting } from './broker/broker-settings';
import { PaperBroker } from './broker/paper-broker';
import { loadOrCreateCacheKey } from './cache/at-rest-cipher';
import { cacheHandlers } from './cache/cache-handlers';
import { cacheKey, symbolTag } from './cache/cache-key';
import { PatternCache } from './cache/pattern-cache';
import { consoleLogger, type EngineConfig, type Logger } from './config';
import { AuditLog } from './db/audit-log';
import { DATABASE_FILE_NAME, type Db, openDatabase } from './db/database';
import { SettingsStore } from './db/settings-store';
import { createDispatcher, type Dispatch } from './dispatch';
import { EventBus } from './events';
import type { Handlers } from './handlers';
import { BarStore } from './market/bar-store';
import { dataHandlers } from './market/data-handlers';
import { marketHandlers } from './market/market-handlers';
import { MarketService } from './market/market-service';
import { Orchestrator } from './orchestrator/orchestrator';
import { slotCatalog } from './orchestrator/slot-catalog';
import { policyDoctorCheck, policyHandlers } from './policy/policy-handlers';
import { PolicyService } from './policy/policy-service';
import type { QValueCache } from './policy/q-value-cache';
import { voiceHandlers } from './voice/voice-handlers';
import { VoiceService } from './voice/voice-service';
import { WorkerPool } from './workers/pool';

/**
 * The engine: every domain's state and commands behind one handler map, free of Electron. The desktop app, browser
 * mode, the CLI and the tests all create it through {@link createEngine}.
 */
export interface Engine {
  readonly config: EngineConfig;
  readonly db: Db;
  readonly databaseFile: string;
  readonly events: EventBus;
  readonly handlers: Handlers;
  /** The one path from any host to a command: parse, run, errors as data. */
  readonly dispatch: Dispatch;
  readonly settings: SettingsStore;
  readonly log: Logger;
  readonly bars: BarStore;
  readonly market: MarketService;
  readonly broker: PaperBroker;
  readonly cache: PatternCache;
  readonly policy: PolicyService;
  readonly pool: WorkerPool;
  readonly orchestrator: Orchestrator;
  readonly voice: VoiceService;
  /** Market time the engine has reached (the replay clock's; the broker and the caches count in it). */
  marketNow(): number;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Stops timers and workers, saves where the replay was, and closes the database. Safe to call twice. */
  close(): Promise<void>;
}

const MIB = 1024 * 1024;

export function createEngine(config: EngineConfig): Engine {
  const log = config.log ?? consoleLogger;
  const wallClock = config.wallClock ?? Date.now;
  const databaseFile = path.join(config.dataDir, DATABASE_FILE_NAME);
  const db = openDatabase(databaseFile, { nativeBinding: config.sqliteNativeBinding });
  const events = new EventBus((event, error) => log.error(`A listener of ${event} failed`, error));
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => events.emit(event, payload);
  const settings = new SettingsStore(db, (key, reason) =>
    log.warn(`Setting ${key} had an invalid stored value (${reason}); using its default`),
  );
  const audit = new AuditLog(db);
  const pool = new WorkerPool(config.workers);
  const bars = new BarStore(db);
  const notice = (level: 'info' | 'warn' | 'error', message: string) =>
    emit('onNotice', { level, message, t: wallClock() });

  // Market time: the replay clock's, tracked from the market's own events so reading it costs nothing.
  let marketT = settings.get('replay.resume')?.marketT ?? 0;
  const marketNow = () => marketT;

  const cache = new PatternCache({
    db,
    // The desk always runs a replay (the simulated market or imported data), so TTLs count in market time.
    clock: { domain: 'market', now: marketNow },
    encryptionKey: settings.get('cache.encryptAtRest')
      ? loadOrCreateCacheKey(path.join(config.dataDir, 'cache.key'))
      : null,
    memoryMaxBytes: settings.get('cache.memoryMaxMb') * MIB,
    sqliteMaxBytes: settings.get('cache.sqliteMaxMb') * MIB,
    sweepIntervalMs: config.timers === false ? 0 : undefined,
    onBackgroundError: (message, error) => log.error(`Pattern cache: ${message}`, error),
  });

  const market = new MarketService({
    reader: bars,
    emit: (event, payload) => events.emit(event, payload as never),
    defaults: () => ({ seed: settings.get('market.seed'), symbols: settings.get('watchlist') }),
    log,
    ...(config.scheduler ? { scheduler: config.scheduler } : {}),
  });

  const sessionSymbols = new Set<string>();
  /** The market loads lazily; nothing below should load it just to look at it. */
  let marketLoaded = false;
  let baseTimeframe: Timeframe = '1m';
  const broker = new PaperBroker({
    db,
    config: {
      startingCashE4: centsToE4(settings.get('broker.startingCashCents')),
      ...brokerRulesFromSettings(settings),
    },
    // Only symbols of the running session have prices: an order on anything else could never fill.
    knownSymbol: (symbol) => sessionSymbols.has(symbol),
    emit: (event, payload) => events.emit(event, payload as never),
  });

  market.subscribe({
    onTick(tick) {
      if (tick.t > marketT) marketT = tick.t;
      broker.mark(tick.symbol, tick.price, tick.t);
    },
    onBar(event) {
      const end = event.bar.t;
      if (end > marketT) marketT = end;
      // The broker fills against the replay's own bars, not the coarser ones aggregated from them; then the
      // decode path decides on the new bar.
      if (event.timeframe === baseTimeframe) {
        broker.onBar(event.symbol, event.bar);
        orchestrator.onBar(event.symbol, event.timeframe);
      }
    },
    onReset(info) {
      marketLoaded = true;
      marketSource = info.source;
      orchestrator.reset();
      sessionSymbols.clear();
      for (const symbol of info.symbols) sessionSymbols.add(symbol);
      baseTimeframe = info.timeframe;
      // Fills in the future of the new market time would make the books impossible: going back in time starts the
      // paper account again (the UI warns before it seeks back).
      if (info.marketT < broker.marketTime()) {
        broker.reset(info.marketT, centsToE4(settings.get('broker.startingCashCents')));
        notice('warn', 'The replay went back in time, so the paper account started again.');
      }
      marketT = info.marketT;
    },
  });

  const qValueCache: QValueCache = {
    get: (key) => cache.get<number[]>(policyCacheKey(key), { namespace: 'decision', slot: 'policy' }),
    set: (key, qValues) => {
      const { version } = splitPolicyKey(key);
      cache.put(policyCacheKey(key), [...qValues], {
        namespace: 'decision',
        slot: 'policy',
        modelVersion: version,
        ttlClass: 'signal',
      });
    },
  };
  const policy = new PolicyService({
    dataDir: config.dataDir,
    resourcesRoot: config.projectRoot,
    pool,
    bars,
    watchlist: () => settings.get('watchlist'),
    emitProgress: (progress) => emit('onProgress', progress),
    emitChanged: (status) => emit('onPolicyChanged', status),
    log,
    cache: qValueCache,
    wallClock,
  });
  let policyStart: Promise<unknown> | null = null;
  const policyReady = () => {
    policyStart ??= policy.start();
    return policyStart;
  };
  const policyApi = policyHandlers(policy);

  let marketSource: 'synthetic' | 'imported' = 'synthetic';
  // A slot whose built-in model changed version never matches its old entries (the version is in every key); drop
  // them at start-up so they do not hold the cache's space until they are evicted. (The DQN policy is not a slot
  // here: its version follows the loaded model.)
  for (const id of slotIds) {
    const dropped = cache.declareModelVersion(id, slotCatalog[id].version);
    if (dropped > 0) log.info(`Pattern cache: dropped ${dropped} entries of ${id}'s older model versions`);
  }
  const orchestrator = new Orchestrator({
    cache,
    market,
    bars,
    broker,
    policy,
    policyReady,
    news: new NewsRepository(db),
    knowledge: new KnowledgeRepository(db),
    marketNow,
    sessionSymbols: () => sessionSymbols,
    baseTimeframe: () => baseTimeframe,
    marketSource: () => marketSource,
    emit,
    halfLifeMs: () => settings.get('sentiment.halfLifeHours') * 3_600_000,
    verbosity: () => settings.get('voice.verbosity'),
    sloMs: settings.get('engine.sloMs'),
    wallClock,
    log,
    pool,
  });
  if (config.timers !== false) orchestrator.startSampling();

  // Voice: spoken questions and confirmed spoken orders go through the same router as typed ones.
  const voiceSettings = (): VoiceSettings => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(voiceSettingsSchema.shape)) out[key] = settings.get(key as never);
    return out as VoiceSettings;
  };
  const spokenText = (order: Extract<SpokenCommand, { kind: 'order' }>['order']): string => {
    const how =
      order.type === 'limit'
        ? `limit ${order.limitPrice}`
        : order.type === 'stop'
          ? `stop ${order.stopPrice}`
          : 'at market';
    return `${order.verb} ${order.qty} ${order.symbol} ${how}`;
  };
  const voice = new VoiceService({
    settings: voiceSettings,
    watchlist: () => settings.get('watchlist'),
    emit: (event, payload) => events.emit(event, payload as never),
    log,
    ...(config.audioEnv ? { audioEnv: config.audioEnv } : {}),
    ...((config.speech ?? (config.mode === 'electron' || config.mode === 'browser'))
      ? {}
      : { speechEngine: null, speechOffReason: `Spoken alerts are off in ${config.mode} mode` }),
    hooks: {
      quote: (symbol) => {
        if (sessionSymbols.has(symbol)) {
          const q = market.quotes().quotes.find((x) => x.symbol === symbol);
          if (q?.last)
            return { last: q.last, ...(q.low ? { dayLow: q.low } : {}), ...(q.high ? { dayHigh: q.high } : {}) };
        }
        const view = orchestrator.views.view(symbol);
        const last = view?.bars[view.bars.length - 1];
        return last ? { last: last.c, dayLow: last.l, dayHigh: last.h } : null;
      },
      ruleWarnings: (order) =>
        orchestrator.orderWarnings({
          symbol: order.symbol,
          side: order.side,
          qty: order.qty,
          type: order.type,
          ...(order.limitPrice !== undefined ? { limitPrice: order.limitPrice } : {}),
          ...(order.stopPrice !== undefined ? { stopPrice: order.stopPrice } : {}),
        }),
      placeOrder: async (order) => {
        const answer = await orchestrator.ask(spokenText(order), { origin: 'voice-confirmed' });
        if (answer.order?.status !== 'placed' || !answer.order.orderId) {
          throw new AppError('REJECTED', answer.order?.message ?? answer.text);
        }
        return { orderId: answer.order.orderId };
      },
      onQuery: (_command, transcript) => {
        void orchestrator.ask(transcript.message, { origin: 'voice' }).then((answer) => {
          // Say the gist: a decision in MiniMax's words, anything else in its first two sentences.
          const spoken = answer.decision
            ? decisionAlertText(answer.decision, settings.get('voice.verbosity'))
            : (answer.text.match(/[^.!?]+[.!?]+/g) ?? [answer.text]).slice(0, 2).join(' ');
          voice.say(spoken, 'reply', 'reply');
        });
      },
    },
  });
  // Every alert is spoken (by priority, coalesced per symbol) as well as shown in the feed.
  const alertKind: Record<Alert['priority'], 'fill' | 'risk' | 'decision' | 'info'> = {
    fill: 'fill',
    risk: 'risk',
    decision: 'decision',
    info: 'info',
  };
  events.on('onAlert', (alert) => {
    voice.say(alert.text, alertKind[alert.priority], alert.symbol ? `${alert.priority}:${alert.symbol}` : undefined);
  });
  if (config.mode === 'electron' || config.mode === 'browser') {
    void voice.start().catch((e) => log.warn('Voice could not start', e));
  }
  // The desk shows the policy's provider at once; the CLI and tests load the model only when they use it.
  if (config.mode === 'electron' || config.mode === 'browser') void policyReady();
  events.on('onFill', (fill) => orchestrator.onFill(fill));

  const handlers = {
    ...appHandlers({
      config,
      db,
      databaseFile,
      settings,
      audit,
      events,
      wallClock,
      extraChecks: async () => {
        await policyReady();
        return [policyDoctorCheck(policy.status()), ...voice.doctorChecks()];
      },
      // A broker rule the account cannot take now (shorting off while short) is refused before it is stored.
      checkSetting: (key) => {
        if (isBrokerRuleSetting(key)) broker.checkConfig(brokerRulesFromSettings(settings));
      },
    }),
    ...dataHandlers({
      db,
      databaseFile,
      events,
      pool,
      wallClock,
      sqliteNativeBinding: config.sqliteNativeBinding,
      onSeriesChanged: (change) => {
        cache.invalidate({ tag: symbolTag(change.symbol) });
        emit('onSeriesChanged', change);
      },
    }),
    ...marketHandlers({ market }),
    ...brokerHandlers({
      broker,
      marketTime: marketNow,
      startingCashCents: () => settings.get('broker.startingCashCents'),
    }),
    ...cacheHandlers({ cache, audit, wallClock }),
    ...yiHandlers({
      db,
      marketNow,
      wallClock,
      audit,
      halfLifeMs: () => settings.get('sentiment.halfLifeHours') * 3_600_000,
      onImported: (report) => {
        orchestrator.newsChanged();
        emit('onNewsImported', {
          importId: report.importId,
          fileName: report.fileName,
          imported: report.imported,
          symbols: report.symbols,
        });
      },
    }),
    ...chatGlmHandlers({ db }),
    ...policyApi,
    // The policy loads its model on first use, so the CLI and tests that never ask pay nothing for it.
    'policy.status': async (args, ctx) => {
      await policyReady();
      return policyApi['policy.status'](args, ctx);
    },
    'policy.actions': async (args) => {
      await policyReady();
      const timeframe = args?.timeframe ?? baseTimeframe;
      // Symbols of the running replay are read from the market; anything else from the imported bars.
      return policy.actions({
        symbols: args?.symbols,
        timeframe,
        positions: args?.positions,
        bars: (symbol) =>
          sessionSymbols.has(symbol)
            ? market.bars(symbol, timeframe, 512).bars
            : bars.barsBefore(symbol, timeframe, Number.MAX_SAFE_INTEGER, 512),
      });
    },
    'policy.evaluate': async (args, ctx) => {
      await policyReady();
      return policyApi['policy.evaluate'](args, ctx);
    },
    'policy.reload': async (args, ctx) => {
      await policyReady();
      return policyApi['policy.reload'](args, ctx);
    },
    'engine.ask': (args, ctx) =>
      orchestrator.ask(args.text, {
        origin: ctx.origin === 'engine' ? 'engine' : 'typed',
        ...(args.currentSymbol ? { currentSymbol: args.currentSymbol } : {}),
      }),
    'engine.slots': () => orchestrator.slotStats(),
    'engine.stats': () => orchestrator.stats(),
    'engine.decisions': (args) => orchestrator.recentDecisions(args?.limit ?? 50),
    ...voiceHandlers(voice),
  } satisfies Handlers;

  const dispatch = createDispatcher(handlers, { validateOutputs: config.validateOutputs, log });

  // Keep where the replay is, so the desk resumes there after a restart.
  const saveResume = () => {
    const state = market.state();
    settings.set(
      'replay.resume',
      { source: state.source, symbols: state.symbols, timeframe: state.timeframe, marketT: state.marketT },
      wallClock(),
    );
  };
  const resume = settings.get('replay.resume');
  if (config.loadMarket !== false) {
    try {
      if (resume?.source === 'imported') {
        market.load({
          source: 'imported',
          symbols: resume.symbols,
          timeframe: resume.timeframe,
          start: resume.marketT,
        });
      } else {
        market.load({
          source: 'synthetic',
          seed: settings.get('market.seed'),
          symbols: settings.get('watchlist'),
          ...(resume ? { start: resume.marketT } : {}),
        });
      }
    } catch (e) {
      log.warn(
        `Could not resume the last replay (${e instanceof Error ? e.message : e}); starting the simulated market`,
      );
      market.load({ source: 'synthetic', seed: settings.get('market.seed'), symbols: settings.get('watchlist') });
    }
  }
  const unsubscribeSettings = events.on('onSettingsChanged', ({ key }) => {
    if (key.startsWith('voice.')) voice.applySettings();
    if (key === 'watchlist') void voice.refreshGrammar();
    // Costs, the volume cap and shorting apply from the next order or fill, without a restart.
    if (isBrokerRuleSetting(key)) broker.configure(brokerRulesFromSettings(settings));
    // A new watchlist or seed reloads the simulated market where it is; the same seed keeps each symbol's path.
    if ((key === 'watchlist' || key === 'market.seed') && marketLoaded && market.state().source === 'synthetic') {
      const before = market.state();
      market.load({
        source: 'synthetic',
        seed: settings.get('market.seed'),
        symbols: settings.get('watchlist'),
        start: before.marketT,
      });
      // A new symbol on the list should not stop a running replay.
      if (before.playing) market.play();
    }
  });
  const resumeTimer = config.timers === false ? null : setInterval(saveResume, 15_000);
  resumeTimer?.unref();

  let closed = false;
  return {
    config,
    db,
    databaseFile,
    events,
    handlers,
    dispatch,
    settings,
    log,
    bars,
    market,
    broker,
    cache,
    policy,
    pool,
    orchestrator,
    voice,
    marketNow,
    emit,
    async close() {
      if (closed) return;
      closed = true;
      if (resumeTimer) clearInterval(resumeTimer);
      unsubscribeSettings();
      if (marketLoaded) saveResume();
      orchestrator.close();
      await voice.close();
      market.close();
      broker.flush();
      await policy.close();
      await pool.close();
      cache.close();
      events.clear();
      db.close();
    },
  };
}

/** The Q-value cache's key (`policy:<version>:<fingerprint>`) as a content-addressed pattern-cache key. */
function splitPolicyKey(key: string): { version: string; fingerprint: string } {
  const rest = key.slice('policy:'.length);
  const colon = rest.lastIndexOf(':');
  return { version: rest.slice(0, colon), fingerprint: rest.slice(colon + 1) };
}

function policyCacheKey(key: string): string {
  const { version, fingerprint } = splitPolicyKey(key);
  return cacheKey({
    slot: 'policy',
    modelVersion: version,
    params: { kind: 'q-values' },
    inputFingerprint: fingerprint,
  });
}
