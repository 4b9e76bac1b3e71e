import { migrateToLatest } from '../../../db/migrate';
import { loadConfig } from '../config';
import { openDatabase } from '../storage/db';

// `npm run migrate`: apply pending migrations to DATABASE_URL or the PGlite database under DATA_DIR.
const config = loadConfig();
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  const applied = await migrateToLatest(handle.db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await handle.close();
}
