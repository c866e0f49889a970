import type Sqlite from 'better-sqlite3';

/** A fault injected into one provider operation (or `*` for all of them). */
export interface Fault {
  operation: string;
  /** Share of calls that fail with an upstream error (50201), 0..1. */
  errorRate: number;
  /** Share of calls that never answer, so that the caller's timeout fires (50401), 0..1. */
  timeoutRate: number;
  /**
   * Share of calls that take effect upstream but whose answer never comes (the connection drops after
   * the marketplace committed), 0..1: what a caller must reconcile rather than repeat.
   */
  lostReplyRate: number;
  /** Added to every call. */
  latencyMs: number;
}

interface FaultRow {
  operation: string;
  error_rate: number;
  timeout_rate: number;
  lost_reply_rate: number;
  latency_ms: number;
}

export class FaultStore {
  private readonly forOp: Sqlite.Statement<[string], FaultRow>;

  constructor(private readonly db: Sqlite.Database) {
    // Every upstream call asks: two lookups by primary key in one statement, so in one read transaction
    // (outside a transaction, starting one costs more than both lookups). One `in (?, '*')` query ordered
    // by a `case` measured about 25 times as slow.
    this.forOp = db.prepare(
      `select * from faults where operation = ? union all select * from faults where operation = '*'`,
    );
  }

  /** The fault for an operation: its own, else the one for every operation, else none. */
  get(operation: string): Fault | null {
    const rows = this.forOp.all(operation);
    const row = rows.find((r) => r.operation === operation) ?? rows[0];
    return row ? toFault(row) : null;
  }

  list(): Fault[] {
    return (this.db.prepare('select * from faults order by operation').all() as FaultRow[]).map(toFault);
  }

  set(fault: Fault): void {
    this.db
      .prepare(
        `insert into faults (operation, error_rate, timeout_rate, lost_reply_rate, latency_ms) values (?, ?, ?, ?, ?)
         on conflict (operation) do update set error_rate = excluded.error_rate,
         timeout_rate = excluded.timeout_rate, lost_reply_rate = excluded.lost_reply_rate,
         latency_ms = excluded.latency_ms`,
      )
      .run(fault.operation, fault.errorRate, fault.timeoutRate, fault.lostReplyRate, fault.latencyMs);
  }

  clear(operation?: string): number {
    return operation
      ? this.db.prepare('delete from faults where operation = ?').run(operation).changes
      : this.db.prepare('delete from faults').run().changes;
  }
}

function toFault(row: FaultRow): Fault {
  return {
    operation: row.operation,
    errorRate: row.error_rate,
    timeoutRate: row.timeout_rate,
    lostReplyRate: row.lost_reply_rate,
    latencyMs: row.latency_ms,
  };
}
