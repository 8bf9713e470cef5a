import type { Db } from './database';

/** Appends user-visible state changes (settings, imports, orders) to the audit log. */
export class AuditLog {
  private readonly insert;

  constructor(db: Db) {
    this.insert = db.prepare<[number, string, string, string]>(
      'INSERT INTO audit_log (at_ms, actor, action, detail_json) VALUES (?, ?, ?, ?)',
    );
  }

  record(atMs: number, actor: string, action: string, detail: unknown = {}): void {
    this.insert.run(atMs, actor, action, JSON.stringify(detail));
  }
}
