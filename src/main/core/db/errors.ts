export type DatabaseErrorCode = 'DB_UNREADABLE' | 'DB_CORRUPT' | 'DB_TOO_NEW' | 'DB_LOCKED' | 'DB_NATIVE';

/**
 * A start-up failure of the database. The message is written for the user: what is wrong, which file, and what
 * to do. The file itself is never modified, moved or overwritten when this is thrown.
 */
export class DatabaseOpenError extends Error {
  constructor(
    readonly code: DatabaseErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}
