import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  InsertQueryNode,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * Watches for domain events reaching the database: `onCommitted` runs once right after a transaction
 * that inserted into the outbox commits (never before, never when it rolls back), or right after an
 * outbox insert made outside a transaction. The relay is poked from here, so no transport, command or
 * worker has to remember to (issue 12: "the transaction helper pokes the relay after commit").
 *
 * It sits in the driver rather than in a helper every caller must use because the domain opens its
 * transactions with Kysely's own `db.transaction()`, and an event written through any of them counts.
 */
export class CommitWatch {
  private readonly listeners: (() => void)[] = [];

  onCommitted(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The dialect to hand to Kysely: the given one, with its driver watched. */
  wrap(dialect: Dialect): Dialect {
    return {
      createAdapter: () => dialect.createAdapter(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createDriver: () => new WatchedDriver(dialect.createDriver(), () => this.notify()),
    };
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}

const OUTBOX = 'outbox';

const insertsIntoOutbox = (compiled: CompiledQuery): boolean =>
  InsertQueryNode.is(compiled.query) && compiled.query.into?.table.identifier.name === OUTBOX;

/** One pooled connection as Kysely sees it, with what its open transaction has done so far. */
class WatchedConnection implements DatabaseConnection {
  inTransaction = false;
  emitted = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly notify: () => void,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(compiled);
    if (insertsIntoOutbox(compiled)) {
      // Outside a transaction the insert is committed already.
      if (this.inTransaction) this.emitted = true;
      else this.notify();
    }
    return result;
  }

  streamQuery<R>(compiled: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiled, chunkSize);
  }
}

class WatchedDriver implements Driver {
  // Drivers hand out the same connection objects again (PGlite has one), so each keeps one wrapper.
  private readonly wrappers = new WeakMap<DatabaseConnection, WatchedConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly notify: () => void,
  ) {
    // Savepoints pass through only where the inner driver has them (Kysely checks for the methods). A
    // rollback to a savepoint may or may not undo an emit: the flag stays, and at worst the relay looks
    // once and finds nothing.
    for (const m of ['savepoint', 'rollbackToSavepoint', 'releaseSavepoint'] as const) {
      const f = inner[m];
      if (f)
        this[m] = (conn: DatabaseConnection, name: string, compile: Parameters<typeof f>[2]) =>
          f.call(inner, (conn as WatchedConnection).inner, name, compile);
    }
  }

  savepoint?: Driver['savepoint'];
  rollbackToSavepoint?: Driver['rollbackToSavepoint'];
  releaseSavepoint?: Driver['releaseSavepoint'];

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await this.inner.acquireConnection();
    let w = this.wrappers.get(conn);
    if (!w) {
      w = new WatchedConnection(conn, this.notify);
      this.wrappers.set(conn, w);
    }
    return w;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const w = conn as WatchedConnection;
    await this.inner.beginTransaction(w.inner, settings);
    w.inTransaction = true;
    w.emitted = false;
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    const w = conn as WatchedConnection;
    await this.inner.commitTransaction(w.inner);
    const emitted = w.emitted;
    w.inTransaction = false;
    w.emitted = false;
    if (emitted) this.notify();
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    const w = conn as WatchedConnection;
    w.inTransaction = false;
    w.emitted = false;
    await this.inner.rollbackTransaction(w.inner);
  }

  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    const w = conn as WatchedConnection;
    // A transaction that never reached commit or rollback (connection lost) emitted nothing.
    w.inTransaction = false;
    w.emitted = false;
    await this.inner.releaseConnection(w.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
