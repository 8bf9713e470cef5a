import type { RejectReason, SpokenCommand } from '../../../shared/domain/voice';
import type { Grammar } from './grammar/grammar';
import { normalizeWords } from './grammar/normalize';
import type { RecognitionResult } from './recognition/recognizer';

/**
 * Orders need more confidence than other commands (0.5 is the recogniser's own boundary): a false order is the
 * one mistake that costs money. On the generated set no correct order scored below 0.9, while desk chatter heard
 * as an order ("sell the idea to the board" as "sell 98 Tesla at market") scored 0.53 (bench/voice-bench.ts).
 */
export const ORDER_MIN_CONFIDENCE = 0.85;

/** An utterance shorter than this (a tap of the key) is not a command. */
export const MIN_UTTERANCE_MS = 250;

/**
 * The one rule that turns a recognition result into a command or a rejection; the service and the bench both use
 * it, so the bench measures what the desk does.
 */
export function acceptCommand(
  grammar: Grammar | null,
  result: RecognitionResult,
  audioMs: number,
): { command: SpokenCommand | null; rejected: RejectReason | null } {
  if (audioMs < MIN_UTTERANCE_MS) return { command: null, rejected: 'too_short' };
  if (result.silence) return { command: null, rejected: 'silence' };
  if (result.outOfGrammar || !grammar) return { command: null, rejected: 'out_of_grammar' };
  const command = normalizeWords(grammar, result.words);
  if (!command || (command.kind === 'order' && result.confidence < ORDER_MIN_CONFIDENCE)) {
    return { command: null, rejected: 'out_of_grammar' };
  }
  return { command, rejected: null };
}
