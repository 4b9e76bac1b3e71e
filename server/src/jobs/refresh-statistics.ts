import { sql } from 'kysely';
import type { JobDefinition } from './job';

/** Fresh planner statistics after the night's deletions keep inbox lists and search on their indexes. */
export const refreshStatistics = (): JobDefinition => ({
  name: 'refresh-statistics',
  schedule: '57 3 * * *',
  description: 'Refreshes the query planner’s statistics (ANALYZE)',
  async run({ db }) {
    await sql`ANALYZE`.execute(db);
    return { analyzed: true };
  },
});
