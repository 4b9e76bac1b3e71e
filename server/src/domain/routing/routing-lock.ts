import { sql } from 'kysely';
import type { Db } from '../../storage/db';

// One workspace-wide advisory lock, held until the routing transaction commits. Every routing
// transaction takes it first (before any row lock), so two processes never choose agents from the
// same snapshot of loads (no agent over capacity, no conversation assigned twice) and lock order is
// always advisory lock → rows, which cannot deadlock. PGlite serializes transactions anyway.
const ROUTING_LOCK_KEY = 7_270_001;

export async function takeRoutingLock(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(${ROUTING_LOCK_KEY})`.execute(trx);
}
