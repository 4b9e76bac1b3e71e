import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * Records every SQL statement the process sends (both drivers) while switched on: the statement-budget
 * tests count what one command and its listeners cost, without mocking anything of ours.
 */
export class StatementLog {
  readonly statements: string[] = [];
  private on = false;
  private restore: (() => void)[] = [];

  install(): this {
    for (const proto of [PGlite.prototype, pg.Client.prototype] as { query: (...a: unknown[]) => unknown }[]) {
      const original = proto.query;
      const log = this;
      proto.query = function query(this: unknown, text: unknown, ...rest: unknown[]) {
        if (log.on) {
          const sql = typeof text === 'string' ? text : (text as { text?: string })?.text;
          log.statements.push(String(sql).replace(/\s+/g, ' ').trim());
        }
        return original.call(this, text, ...rest);
      };
      this.restore.push(() => {
        proto.query = original;
      });
    }
    return this;
  }

  async during(work: () => Promise<void>): Promise<string[]> {
    this.statements.length = 0;
    this.on = true;
    try {
      await work();
    } finally {
      this.on = false;
    }
    return [...this.statements];
  }

  uninstall(): void {
    for (const r of this.restore) r();
    this.restore = [];
  }
}
