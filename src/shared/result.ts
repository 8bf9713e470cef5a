/**
 * Errors cross the API as data, never as thrown exceptions: every method resolves to a {@link Result}.
 * The codes are the ones a UI can act on (show inline, retry, re-authenticate, report a bug).
 */
import { z } from 'zod';

export const errorCodes = [
  /** The input did not match the method's schema; the message names the field. */
  'BAD_INPUT',
  /** The thing asked for does not exist (symbol, order, file). */
  'NOT_FOUND',
  /** A business rule refused the request (an impossible order, a rejected import). Nothing changed. */
  'REJECTED',
  /** The request conflicts with the current state (an order already filled, an import already running). */
  'CONFLICT',
  /** A part the request needs is not available on this machine (a recorder, a speech engine, a model). */
  'UNAVAILABLE',
  /** The work did not finish in time. */
  'TIMEOUT',
  /** The work was cancelled by the user. */
  'CANCELLED',
  /** The caller is not allowed to call (wrong window, wrong frame). */
  'FORBIDDEN',
  /** The method name is not part of the contract. */
  'UNKNOWN_METHOD',
  /** A bug: the message says what failed; details are in the log. */
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const apiErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  /** Optional structured detail, for example the rejected lines of an import. */
  details: z.unknown().optional(),
});

export type ApiError = z.infer<typeof apiErrorSchema>;

export type Ok<T> = { ok: true; value: T };
export type Err = { ok: false; error: ApiError };
export type Result<T> = Ok<T> | Err;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = (code: ErrorCode, message: string, details?: unknown): Err => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/**
 * The one exception type that commands throw to refuse a request. The API host maps it to `{ ok: false }`
 * with the same code; any other thrown value becomes `INTERNAL`.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** Turns any thrown value into an API error, keeping the code of an {@link AppError}. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof AppError) {
    return e.details === undefined
      ? { code: e.code, message: e.message }
      : { code: e.code, message: e.message, details: e.details };
  }
  if (e instanceof z.ZodError) return { code: 'BAD_INPUT', message: formatZodError(e) };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: message || 'Unknown error' };
}

/** A one-line, user-readable summary of a zod error: `quantity: Too small: expected number to be >0`. */
export function formatZodError(e: z.ZodError): string {
  return e.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** Returns the value of a successful result, or throws an {@link AppError} carrying the failure. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new AppError(result.error.code, result.error.message, result.error.details);
}
