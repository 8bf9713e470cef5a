/**
 * Sentiment of news and posts as the Yi slot reports it: one scored text, imported news items, and the
 * per-symbol aggregate decayed in market time. Scores are in [-1, 1]; a score inside the neutral band is labelled
 * neutral.
 */
import { z } from 'zod';

export const sentimentLabels = ['positive', 'negative', 'neutral'] as const;
export const sentimentLabelSchema = z.enum(sentimentLabels);
export type SentimentLabel = z.infer<typeof sentimentLabelSchema>;

/** What kind of lexicon entry produced a matched term (for explanations in the UI). */
export const sentimentTermKinds = ['finance', 'slang', 'emoji', 'movement', 'rating', 'percent', 'general'] as const;
export const sentimentTermKindSchema = z.enum(sentimentTermKinds);
export type SentimentTermKind = z.infer<typeof sentimentTermKindSchema>;

/** One lexicon hit in a text, with the modifiers that changed its weight. */
export const matchedTermSchema = z.object({
  /** The lexicon entry, e.g. "to the moon", or "profit + rise" for a metric moving in a direction. */
  term: z.string(),
  /** The words of the text that matched, as written (lower-cased). */
  text: z.string(),
  kind: sentimentTermKindSchema,
  /** The entry's weight in the lexicon (about -4 to +4). */
  base: z.number(),
  /** The weight after negation, intensifiers, diminishers and but-clause weighting. */
  weight: z.number(),
  /** True when a negation ("not", "no", "n't", "fails to") flipped this term. */
  negated: z.boolean(),
});
export type MatchedTerm = z.infer<typeof matchedTermSchema>;

/** Identifies the backend that produced an analysis, so the UI can say which model answered. */
export const modelInfoSchema = z.object({
  slot: z.string(),
  backend: z.string(),
  version: z.string(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

/** The sentiment of one text. */
export const scoredTextSchema = z.object({
  score: z.number().min(-1).max(1),
  label: sentimentLabelSchema,
  terms: z.array(matchedTermSchema),
  /** Symbols named by cashtags ($TSLA), upper-cased, in order of first mention. */
  symbols: z.array(z.string()),
  tokenCount: z.number().int().nonnegative(),
  modelVersion: z.string(),
});
export type ScoredText = z.infer<typeof scoredTextSchema>;

/** One stored news item or post, scored at import. */
export const newsItemSchema = z.object({
  id: z.number().int(),
  /** Publication time, UTC epoch ms. */
  tMs: z.number().int(),
  symbol: z.string(),
  text: z.string(),
  /** The file it was imported from. */
  source: z.string(),
  score: z.number().min(-1).max(1),
  label: sentimentLabelSchema,
  terms: z.array(matchedTermSchema),
  modelVersion: z.string(),
});
export type NewsItem = z.infer<typeof newsItemSchema>;

/** A line of an import that was not stored, and why. */
export const newsRejectedLineSchema = z.object({
  /** 1-based physical line of the file where the record starts (the record index for JSON arrays). */
  line: z.number().int().positive(),
  reason: z.string(),
  /** The start of the raw record, for the user to find it. */
  excerpt: z.string(),
});
export type NewsRejectedLine = z.infer<typeof newsRejectedLineSchema>;

/** A record that was damaged in the file but could be put back together (a title broken by a newline). */
export const newsRepairedLineSchema = z.object({
  line: z.number().int().positive(),
  note: z.string(),
});
export type NewsRepairedLine = z.infer<typeof newsRepairedLineSchema>;

/** What a news import did. Either every accepted row was stored or none was. */
export const newsImportReportSchema = z.object({
  importId: z.number().int(),
  fileName: z.string(),
  format: z.enum(['csv', 'json', 'ndjson']),
  /** Records found in the file (after repairs), accepted or not. */
  records: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  /** Accepted records already stored by an earlier import (same symbol, time and text). */
  duplicates: z.number().int().nonnegative(),
  rejectedCount: z.number().int().nonnegative(),
  /** The first rejected lines (at most 100; `rejectedCount` has the total). */
  rejected: z.array(newsRejectedLineSchema),
  repaired: z.array(newsRepairedLineSchema),
  symbols: z.array(z.string()),
  firstTMs: z.number().int().nullable(),
  lastTMs: z.number().int().nullable(),
  labels: z.object({
    positive: z.number().int().nonnegative(),
    negative: z.number().int().nonnegative(),
    neutral: z.number().int().nonnegative(),
  }),
  modelVersion: z.string(),
});
export type NewsImportReport = z.infer<typeof newsImportReportSchema>;

/** A headline that weighs most in a symbol's aggregate. */
export const sentimentHeadlineSchema = z.object({
  id: z.number().int(),
  tMs: z.number().int(),
  text: z.string(),
  score: z.number(),
  label: sentimentLabelSchema,
  /** Its decay weight at `asOfMs` (1 for news published at `asOfMs`, 0.5 one half-life earlier). */
  weight: z.number().min(0).max(1),
});
export type SentimentHeadline = z.infer<typeof sentimentHeadlineSchema>;

/** A symbol's sentiment at a market time: news up to `asOfMs`, each weighted by its age. */
export const sentimentAggregateSchema = z.object({
  symbol: z.string(),
  asOfMs: z.number().int(),
  halfLifeMs: z.number().int().positive(),
  /** Items published at or before `asOfMs` within the look-back (ten half-lives). */
  count: z.number().int().nonnegative(),
  /** Sum of the decay weights: how much fresh news stands behind the score (one item just published = 1). */
  effectiveCount: z.number().nonnegative(),
  /** Decay-weighted mean of the item scores. */
  decayedMean: z.number().min(-1).max(1),
  /**
   * The score to act on: the decayed mean shrunk toward neutral when there is little fresh news
   * (`sum(w*s) / (sum(w) + priorWeight)`), so one stale headline cannot look like strong sentiment.
   */
  score: z.number().min(-1).max(1),
  label: sentimentLabelSchema,
  counts: z.object({
    positive: z.number().int().nonnegative(),
    negative: z.number().int().nonnegative(),
    neutral: z.number().int().nonnegative(),
  }),
  /** Time of the latest item used, or null when there is none. */
  latestTMs: z.number().int().nullable(),
  topHeadlines: z.array(sentimentHeadlineSchema),
  model: modelInfoSchema,
});
export type SentimentAggregate = z.infer<typeof sentimentAggregateSchema>;
