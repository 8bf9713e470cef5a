/**
 * The API of the two "intelligence" slots: Yi (news import, sentiment) and ChatGLM (trading-rules knowledge,
 * order compliance). Merge `intelMethods` and `intelEvents` into the contract in `index.ts`.
 */
import { z } from 'zod';
import {
  knowledgeAnswerSchema,
  knowledgePassageSchema,
  orderCheckSchema,
  orderContextSchema,
  orderToCheckSchema,
} from '../domain/knowledge';
import {
  newsImportReportSchema,
  newsItemSchema,
  scoredTextSchema,
  sentimentAggregateSchema,
} from '../domain/sentiment';
import { tickerSchema } from '../settings';
import { event, method, noInput } from './define';

const DAY_MS = 86_400_000;

/** A news file by path (desktop, CLI) or by its name and content (browser upload). */
export const newsImportInputSchema = z.union([
  z.object({ path: z.string().min(1, 'give the path of a CSV or JSON news file') }).strict(),
  z
    .object({
      fileName: z.string().min(1).max(255),
      text: z.string().max(64 * 1024 * 1024, 'a news file may be at most 64 MiB'),
    })
    .strict(),
]);
export type NewsImportInput = z.infer<typeof newsImportInputSchema>;

export const newsListInputSchema = z
  .object({
    symbol: tickerSchema.optional(),
    limit: z.number().int().min(1).max(1000).default(50),
    /** Only items published before this time (UTC epoch ms), to page back. */
    beforeMs: z.number().int().optional(),
  })
  .strict()
  .prefault({});

export const sentimentSymbolInputSchema = z
  .object({
    symbol: tickerSchema,
    /** Market time to aggregate at; the market clock's time when omitted. */
    asOfMs: z.number().int().optional(),
    /** Decay half-life; the configured one (3 days by default) when omitted. */
    halfLifeMs: z
      .number()
      .int()
      .min(60_000, 'the half-life is at least one minute')
      .max(365 * DAY_MS, 'the half-life is at most a year')
      .optional(),
  })
  .strict();

export const intelMethods = {
  'news.import': method({
    summary:
      'Imports news or posts (CSV, JSON or NDJSON with time, symbol and text), scores each with the Yi model and stores them in one transaction; reports rejected lines.',
    input: newsImportInputSchema,
    output: newsImportReportSchema,
  }),
  'news.list': method({
    summary: 'Stored news items, newest first, optionally for one symbol, with their scores and matched terms.',
    input: newsListInputSchema,
    output: z.object({ items: z.array(newsItemSchema), total: z.number().int().nonnegative() }),
  }),
  'sentiment.symbol': method({
    summary:
      "A symbol's news sentiment at a market time: items decayed by age (half-life), count, score, label, top headlines.",
    input: sentimentSymbolInputSchema,
    output: sentimentAggregateSchema,
  }),
  'sentiment.score': method({
    summary: 'Scores one text with the Yi model: score in [-1, 1], label, the lexicon terms it matched, cashtags.',
    input: z.object({ text: z.string().min(1, 'give a text to score').max(20_000) }).strict(),
    output: scoredTextSchema,
  }),
  'knowledge.ask': method({
    summary:
      'Answers a question about US trading rules from the knowledge base, quoting the passage(s) used; says so when it has no rule about it.',
    input: z
      .object({
        question: z.string().trim().min(1, 'ask a question').max(1000),
        /** How many passages to return (the best first). */
        limit: z.number().int().min(1).max(5).default(3),
      })
      .strict(),
    output: knowledgeAnswerSchema,
  }),
  'knowledge.checkOrder': method({
    summary:
      'Checks an order against trading rules (pattern day trading, Reg T margin, cash-account settlement, wash sales, short-sale restriction, locate, hours, halts) and returns warnings with rule ids.',
    input: z.object({ order: orderToCheckSchema, context: orderContextSchema }).strict(),
    output: orderCheckSchema,
  }),
  'knowledge.get': method({
    summary: 'One passage of the knowledge base by id.',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: knowledgePassageSchema,
  }),
  'knowledge.list': method({
    summary: 'Every passage of the knowledge base (id, title, tags, source, text) and the knowledge base version.',
    input: noInput,
    output: z.object({ version: z.string(), passages: z.array(knowledgePassageSchema) }),
  }),
} as const;

export const intelEvents = {
  onNewsImported: event({
    summary: 'News was imported: panels showing sentiment should refresh.',
    payload: z.object({
      importId: z.number().int(),
      fileName: z.string(),
      imported: z.number().int().nonnegative(),
      symbols: z.array(z.string()),
    }),
  }),
} as const;

export type IntelMethods = typeof intelMethods;
export type IntelMethodName = keyof IntelMethods;
/** What an intel handler receives (defaults applied). */
export type IntelArgs<M extends IntelMethodName> = z.output<IntelMethods[M]['input']>;
/** What an intel handler returns. */
export type IntelOutput<M extends IntelMethodName> = z.output<IntelMethods[M]['output']>;
