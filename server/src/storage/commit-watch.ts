import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  InsertQueryNode,
  PrimitiveValueListNode,
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
 * Outbox listeners get the events' types and payloads: the config cache drops what a `cache.stale` names
 * here, before the writer's transaction call returns, so the writer's next read sees its own change.
 */
export class CommitWatch {
  private readonly listeners = new Map<string, CommitListener[]>();

  /** After a commit that inserted into `table` (default: the outbox; other tables' listeners get no events). */
  onCommitted(listener: CommitListener, table = OUTBOX): void {
    this.listeners.set(table, [...(this.listeners.get(table) ?? []), listener]);
  }

  /** The dialect to hand to Kysely: the given one, with its driver watched. */
  wrap(dialect: Dialect): Dialect {
    return {
      createAdapter: () => dialect.createAdapter(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createDriver: () => new WatchedDriver(dialect.createDriver(), (done) => this.notify(done)),
    };
  }

  private notify(done: Committed): void {
    for (const t of done.tables) for (const l of this.listeners.get(t) ?? []) l(t === OUTBOX ? done.events : []);
  }
}

/** An event as its outbox insert wrote it (the payload parsed back from its JSON). */
export interface CommittedEvent {
  type: string;
  payload: unknown;
}
export type CommitListener = (events: CommittedEvent[]) => void;

/** What a transaction (or one statement outside a transaction) wrote that the watch announces. */
interface Committed {
  tables: Set<string>;
  events: CommittedEvent[];
}
const nothing = (): Committed => ({ tables: new Set(), events: [] });

/** The rows of an outbox insert (emit writes plain values: `type`, `payload` JSON, `cause`). */
function outboxRows(compiled: CompiledQuery): CommittedEvent[] {
  const node = compiled.query as InsertQueryNode;
  const columns = node.columns?.map((c) => c.column.name) ?? [];
  const [ti, pi] = [columns.indexOf('type'), columns.indexOf('payload')];
  const lists = (node.values as { values?: unknown[] } | undefined)?.values ?? [];
  const out: CommittedEvent[] = [];
  for (const list of lists) {
    if (!PrimitiveValueListNode.is(list as PrimitiveValueListNode)) continue;
    const values = (list as PrimitiveValueListNode).values;
    const type = values[ti];
    if (typeof type !== 'string') continue;
    let payload: unknown = values[pi];
    try {
      payload = typeof payload === 'string' ? JSON.parse(payload) : payload;
    } catch {
      // not JSON: pass it on as written
    }
    out.push({ type, payload });
  }
  return out;
}

const OUTBOX = 'outbox';
/** Tables whose inserts are announced after commit: the outbox (the relay) and the bot's turns (the bot). */
const WATCHED = new Set([OUTBOX, 'bot_turns']);

type Notify = (done: Committed) => void;

const watchedInsert = (compiled: CompiledQuery): string | undefined => {
  if (!InsertQueryNode.is(compiled.query)) return undefined;
  const name = compiled.query.into?.table.identifier.name;
  return name && WATCHED.has(name) ? name : undefined;
};

/** One pooled connection as Kysely sees it, with what its open transaction has done so far. */
class WatchedConnection implements DatabaseConnection {
  inTransaction = false;
  /** What the open transaction inserted into watched tables. */
  emitted = nothing();

  constructor(
    readonly inner: DatabaseConnection,
    private readonly notify: Notify,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(compiled);
    const table = watchedInsert(compiled);
    // A bot turn already queued (`ON CONFLICT DO NOTHING` stored nothing) wakes nobody; an outbox insert
    // always stores its events.
    if (table && (table === OUTBOX || result.numAffectedRows !== 0n)) {
      // Outside a transaction the insert is committed already.
      const events = table === OUTBOX ? outboxRows(compiled) : [];
      if (this.inTransaction) {
        this.emitted.tables.add(table);
        this.emitted.events.push(...events);
      } else this.notify({ tables: new Set([table]), events });
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
    private readonly notify: Notify,
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
    w.emitted = nothing();
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    const w = conn as WatchedConnection;
    await this.inner.commitTransaction(w.inner);
    const emitted = w.emitted;
    w.inTransaction = false;
    w.emitted = nothing();
    if (emitted.tables.size) this.notify(emitted);
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    const w = conn as WatchedConnection;
    w.inTransaction = false;
    w.emitted = nothing();
    await this.inner.rollbackTransaction(w.inner);
  }

  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    const w = conn as WatchedConnection;
    // A transaction that never reached commit or rollback (connection lost) emitted nothing.
    w.inTransaction = false;
    w.emitted = nothing();
    await this.inner.releaseConnection(w.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
