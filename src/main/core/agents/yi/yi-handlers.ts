import type { IntelArgs, IntelOutput } from '../../../../shared/contract/intel';
import type { NewsImportReport } from '../../../../shared/domain/sentiment';
import type { AuditLog } from '../../db/audit-log';
import type { Db } from '../../db/database';
import type { CallContext } from '../../handlers';
import { aggregateSentiment, DEFAULT_HALF_LIFE_MS, LOOKBACK_HALF_LIVES } from './aggregate';
import { MODEL_VERSION } from './model-version';
import { importNews } from './news-importer';
import { NewsRepository } from './news-repository';
import { scoreText } from './sentiment-model';

type YiMethod = 'news.import' | 'news.list' | 'sentiment.symbol' | 'sentiment.score';

/** A handler of one intel method; the same shape as `Handler<M>` once the methods are merged into the contract. */
export type YiHandler<M extends YiMethod> = (
  args: IntelArgs<M>,
  ctx: CallContext,
) => IntelOutput<M> | Promise<IntelOutput<M>>;

export type YiHandlers = { [M in YiMethod]: YiHandler<M> };

export interface YiDeps {
  db: Db;
  /** Market time (the replay or live market clock): the default `asOfMs` of aggregates. */
  marketNow: () => number;
  /** Wall-clock time, for the import log. */
  wallClock: () => number;
  audit?: AuditLog;
  /** The configured decay half-life (default three days). */
  halfLifeMs?: () => number;
  /** Called after a successful import (emit `onNewsImported` here). */
  onImported?: (report: NewsImportReport) => void;
}

/** Most items read for one aggregate: far more than any symbol gets in ten half-lives. */
const MAX_AGGREGATE_ITEMS = 20_000;

/**
 * The Yi slot's commands: news import and listing, per-symbol sentiment, scoring a text. Rows scored by an older
 * model version are re-scored once, when the handlers are created.
 */
export function yiHandlers(deps: YiDeps): YiHandlers {
  const repo = new NewsRepository(deps.db);
  repo.rescoreOutdated(MODEL_VERSION, (text) => scoreText(text));
  return {
    'news.import': (args, ctx) => {
      const importedAtMs = deps.wallClock();
      const report = importNews(repo, args, { importedAtMs });
      deps.audit?.record(importedAtMs, ctx.origin, 'news.import', {
        fileName: report.fileName,
        importId: report.importId,
        imported: report.imported,
        duplicates: report.duplicates,
        rejected: report.rejectedCount,
      });
      deps.onImported?.(report);
      return report;
    },
    'news.list': (args) => ({
      items: repo.list({ symbol: args.symbol, limit: args.limit, beforeMs: args.beforeMs }),
      total: repo.count(args.symbol),
    }),
    'sentiment.symbol': (args) => {
      const asOfMs = args.asOfMs ?? deps.marketNow();
      const halfLifeMs = args.halfLifeMs ?? deps.halfLifeMs?.() ?? DEFAULT_HALF_LIFE_MS;
      const items = repo.scoredItems(
        args.symbol,
        asOfMs - LOOKBACK_HALF_LIVES * halfLifeMs,
        asOfMs,
        MAX_AGGREGATE_ITEMS,
      );
      return aggregateSentiment(args.symbol, items, { asOfMs, halfLifeMs });
    },
    'sentiment.score': (args) => scoreText(args.text),
  };
}
