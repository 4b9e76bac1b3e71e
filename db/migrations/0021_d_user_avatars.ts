import { type Kysely, sql } from 'kysely';

// Issue 19: a picture for one's own profile. The image is an upload in the upload store (local disk
// or S3) under this id; null shows initials. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE users ADD COLUMN avatar_upload_id text').execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE users DROP COLUMN avatar_upload_id').execute(db);
}
