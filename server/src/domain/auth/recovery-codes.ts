import { randomInt } from 'node:crypto';
import type { Db } from '../../storage/db';
import { hashToken } from './tokens';

// No 0/O/1/l/I: people copy these from paper.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const COUNT = 10;

const normalise = (code: string) => code.trim().toLowerCase().replace(/[\s-]/g, '');
const newCode = () => {
  const c = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${c.slice(0, 5)}-${c.slice(5)}`;
};

/** Replaces a user's recovery codes; the codes are returned once and stored hashed. */
export async function issueRecoveryCodes(trx: Db, userId: string): Promise<string[]> {
  const codes = Array.from({ length: COUNT }, newCode);
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await trx
    .insertInto('recovery_codes')
    .values(codes.map((c) => ({ user_id: userId, code_hash: hashToken(normalise(c)) })))
    .execute();
  return codes;
}

export type ConsumeRecoveryCodeProps = { userId: string; code: string };

/** Uses up one recovery code; false when it is unknown or was used already. */
export async function consumeRecoveryCode(trx: Db, { userId, code }: ConsumeRecoveryCodeProps): Promise<boolean> {
  const r = await trx
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashToken(normalise(code)))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function recoveryCodesLeft(db: Db, userId: string): Promise<number> {
  const rows = await db
    .selectFrom('recovery_codes')
    .select('id')
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
  return rows.length;
}
