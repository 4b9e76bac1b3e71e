import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../db/migrate';
import { openDatabase } from '../server/src/storage/db';
import { BACKEND, freshPostgresDatabase } from './helpers/test-server';

// db/types.ts is written by hand beside the migrations; this keeps the two from drifting apart: every
// table and column the migrations create is declared, nothing declared is missing from the database,
// and a column is nullable in the database exactly when its declared type admits null.

interface Declared {
  columns: Map<string, { nullable: boolean }>;
}

function declaredTables(): Map<string, Declared> {
  // db/types.ts holds the Database interface; the table interfaces and column aliases live in db/types/*.ts.
  const dir = path.resolve(__dirname, '../db/types');
  const files = [path.resolve(__dirname, '../db/types.ts'), ...readdirSync(dir).map((f) => path.join(dir, f))];
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  const aliases = new Map<string, string>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    for (const node of source.statements) {
      if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
      if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node.type.getText());
    }
  }
  // A property admits null when its type (with local aliases such as NullableTimestamp expanded once)
  // has null in its top-level union or in the selected type (ColumnType's first argument).
  const admitsNull = (typeText: string): boolean => {
    const expanded = typeText.replace(/\b([A-Z]\w*)\b(?!<)/g, (name) => aliases.get(name) ?? name);
    let depth = 0;
    let top = '';
    for (const ch of expanded) {
      if (ch === '<' || ch === '(' || ch === '{' || ch === '[') depth += 1;
      if (ch === '>' || ch === ')' || ch === '}' || ch === ']') depth -= 1;
      top += depth === 0 ? ch : ' ';
    }
    if (/\bnull\b/.test(top)) return true;
    const selected = /^(?:ColumnType|Json)<([^,>]*(?:<[^>]*>)?[^,>]*)/.exec(expanded)?.[1] ?? '';
    return /\bnull\b/.test(selected);
  };
  const database = interfaces.get('Database');
  if (!database) throw new Error('db/types.ts has no Database interface');
  const tables = new Map<string, Declared>();
  for (const member of database.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const table = member.name.getText();
    const rowInterface = interfaces.get(member.type.getText());
    if (!rowInterface) throw new Error(`db/types.ts: ${table} points to an unknown interface`);
    const columns = new Map<string, { nullable: boolean }>();
    for (const col of rowInterface.members) {
      if (!ts.isPropertySignature(col) || !col.type) continue;
      columns.set(col.name.getText(), { nullable: admitsNull(col.type.getText()) });
    }
    tables.set(table, { columns });
  }
  return tables;
}

describe(`db/types.ts matches what the migrations create (${BACKEND})`, () => {
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      const fresh = await freshPostgresDatabase(process.env.DATABASE_URL);
      drop = fresh.drop;
      handle = await openDatabase({ databaseUrl: fresh.url, poolSize: 2 });
    } else {
      handle = await openDatabase({ dataDir: 'memory://' });
    }
    await migrateToLatest(handle.db);
  });

  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  it('declares every table and column, and their nullability, as the database has them', async () => {
    // Generated (computed) columns report nullable whatever their expression; their nullability is not compared.
    const rows = await sql<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO'; is_generated: string }>`
      SELECT table_name, column_name, is_nullable, is_generated FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'
      ORDER BY table_name, ordinal_position`.execute(handle.db);
    const actual = new Map<string, Map<string, boolean | 'generated'>>();
    for (const r of rows.rows) {
      if (!actual.has(r.table_name)) actual.set(r.table_name, new Map());
      actual.get(r.table_name)!.set(r.column_name, r.is_generated === 'ALWAYS' ? 'generated' : r.is_nullable === 'YES');
    }
    const declared = declaredTables();
    const problems: string[] = [];
    for (const [table, cols] of actual) {
      const d = declared.get(table);
      if (!d) {
        problems.push(`table ${table} exists but is not declared`);
        continue;
      }
      for (const [col, nullable] of cols) {
        const dc = d.columns.get(col);
        if (!dc) problems.push(`${table}.${col} exists but is not declared`);
        else if (nullable !== 'generated' && dc.nullable !== nullable)
          problems.push(
            `${table}.${col} is ${nullable ? 'nullable' : 'NOT NULL'} but declared ${dc.nullable ? 'nullable' : 'not null'}`,
          );
      }
      for (const col of d.columns.keys()) if (!cols.has(col)) problems.push(`${table}.${col} is declared but does not exist`);
    }
    // kb_embeddings exists only where pgvector does (migration 0006 detects it; Debian's Postgres lacks it).
    const vector = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'vector'`.execute(
      handle.db,
    );
    const optional = new Set(vector.rows[0]?.n ? [] : ['kb_embeddings']);
    for (const table of declared.keys())
      if (!actual.has(table) && !optional.has(table)) problems.push(`table ${table} is declared but does not exist`);
    expect(problems).toEqual([]);
  });
});
