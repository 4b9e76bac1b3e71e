import { migrateToLatest } from '../../../db/migrate';
import { loadConfig } from '../config';
import { rebuildReportRollups } from '../domain/reports/rollups';
import { openDatabase } from '../storage/db';

// `npm run reports:rebuild`: recompute report_facts and report_rollups from the raw tables (after an
// import or a fix made straight in the database). Safe while servers run: one transaction, reports
// keep answering from the old rollups until it commits. Works on DATABASE_URL or DATA_DIR's PGlite.
const config = loadConfig();
const handle = await openDatabase({
  databaseUrl: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  timeouts: { statementMs: 3_600_000, idleInTransactionMs: 3_600_000 },
});
try {
  await migrateToLatest(handle.db);
  const started = Date.now();
  const { conversations, rows } = await rebuildReportRollups(handle.db);
  console.log(`report rollups rebuilt: ${conversations} conversations, ${rows} rollup rows in ${Date.now() - started} ms`);
} finally {
  await handle.close();
}
