import type { Db } from '../../storage/db';

// Carrier rules (and Twilio's default handling) for US/CA numbers: these words, alone in a message,
// stop or restart all texts from a sender. We honour them for every number.
const STOP = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'revoke']);
const START = new Set(['start', 'unstop', 'yes', 'optin']);

/** `stop` / `start` when the text is one of the keywords (or Twilio's Advanced Opt-Out says so). */
export function optInOutKeyword(text: string, optOutType?: string): 'stop' | 'start' | undefined {
  const t = optOutType?.toUpperCase();
  if (t === 'STOP') return 'stop';
  if (t === 'START') return 'start';
  const word = text
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, '');
  if (STOP.has(word)) return 'stop';
  if (START.has(word)) return 'start';
  return undefined;
}

export async function setOptOut(trx: Db, props: { inboxId: string; address: string; optedOut: boolean }): Promise<void> {
  if (props.optedOut) {
    await trx
      .insertInto('channel_opt_outs')
      .values({ inbox_id: props.inboxId, address: props.address })
      .onConflict((oc) => oc.columns(['inbox_id', 'address']).doNothing())
      .execute();
  } else {
    await trx.deleteFrom('channel_opt_outs').where('inbox_id', '=', props.inboxId).where('address', '=', props.address).execute();
  }
}

export async function isOptedOut(db: Db, props: { inboxId: string; address: string }): Promise<boolean> {
  const row = await db
    .selectFrom('channel_opt_outs')
    .select('address')
    .where('inbox_id', '=', props.inboxId)
    .where('address', '=', props.address)
    .executeTakeFirst();
  return Boolean(row);
}
