import { AppError, type Macro, type MacroAction, MacroInput } from '@autocrm/shared';
import type { Selectable } from 'kysely';
import type { MacrosTable } from '../../../../db/types';
import type { Db } from '../../storage/db';
import { type Actor, hasScope } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { sanitizeRichText } from '../text/sanitize';
import type { UploadLocation } from '../widget/uploads';
import { type CheckMacroFilesProps, checkMacroFiles } from './macro-attachments';
import { assertKnownVariables } from './render-template';

export const presentMacro = (r: Selectable<MacrosTable> & { use_count?: number | string | null }): Macro => ({
  id: r.id,
  name: r.name,
  bodyHtml: r.body_html,
  noteHtml: r.note_html,
  shortcut: r.shortcut,
  useCount: Number(r.use_count ?? 0),
  actions: r.actions,
  visibility: r.visibility,
  ownerId: r.owner_id,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  attachments: r.attachments ?? [],
});

/** Shared macros belong to the workspace: supervisors and admins (or an admin key) manage them. */
function canManageShared(actor: Actor): boolean {
  if (actor.kind === 'user') return actor.role === 'admin' || actor.role === 'supervisor';
  return hasScope(actor, 'admin');
}

function assertMayWrite(actor: Actor, visibility: 'shared' | 'personal', ownerId: string | null): void {
  if (visibility === 'shared') {
    if (!canManageShared(actor)) throw new AppError('forbidden', 'only supervisors and admins manage shared macros');
    return;
  }
  if (actor.kind !== 'user') throw new AppError('forbidden', 'personal macros belong to a signed-in person');
  if (ownerId !== null && ownerId !== actor.id) throw new AppError('not_found', 'macro not found');
}

export type CheckMacroActionsProps = { actions: MacroAction[]; prefix?: string };

/** Checks that the statuses, teams and users the actions name exist; issues name `<prefix>.<n>.<field>`. */
export async function checkMacroActions(trx: Db, { actions, prefix = 'actions' }: CheckMacroActionsProps): Promise<void> {
  const issues: { path: string; message: string }[] = [];
  for (const [i, a] of actions.entries()) {
    if (a.type === 'set_status') {
      const found = await trx.selectFrom('statuses').select('id').where('id', '=', a.statusId).executeTakeFirst();
      if (!found) issues.push({ path: `${prefix}.${i}.statusId`, message: 'unknown status' });
    } else if (a.type === 'set_team' && a.teamId) {
      const found = await trx.selectFrom('teams').select('id').where('id', '=', a.teamId).executeTakeFirst();
      if (!found) issues.push({ path: `${prefix}.${i}.teamId`, message: 'unknown team' });
    } else if (a.type === 'assign' && a.assigneeId && a.assigneeId !== 'me') {
      const user = await trx.selectFrom('users').select('active').where('id', '=', a.assigneeId).executeTakeFirst();
      if (!user?.active) issues.push({ path: `${prefix}.${i}.assigneeId`, message: 'unknown or inactive user' });
    } else if (a.type === 'set_custom_field') {
      const def = await trx
        .selectFrom('custom_field_definitions')
        .select('id')
        .where('key', '=', a.key)
        .where('entity', '=', 'conversation')
        .executeTakeFirst();
      if (!def) issues.push({ path: `${prefix}.${i}.key`, message: `unknown custom field "${a.key}"` });
    }
  }
  if (issues.length) {
    throw new AppError('validation_failed', issues.map((x) => `${x.path}: ${x.message}`).join('; '), issues);
  }
}

/** Shared macros and the caller's own personal ones, by name. */
export async function listMacros(db: Db, actor: Actor): Promise<Macro[]> {
  const rows = await db
    .selectFrom('macros')
    .selectAll()
    .select((eb) =>
      eb
        .selectFrom('macro_uses as u')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('u.macro_id', '=', 'macros.id')
        .as('use_count'),
    )
    .where((eb) =>
      actor.kind === 'user'
        ? eb.or([eb('visibility', '=', 'shared'), eb('owner_id', '=', actor.id)])
        : eb('visibility', '=', 'shared'),
    )
    .orderBy('visibility', 'desc') // shared first
    .orderBy('name')
    .execute();
  return rows.map(presentMacro);
}

export type GetMacroProps = { actor: Actor; id: string };

/** A macro the caller may see (shared, or their own); anything else is not found. */
export async function getMacro(db: Db, { actor, id }: GetMacroProps): Promise<Macro> {
  const row = await db.selectFrom('macros').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || (row.visibility === 'personal' && (actor.kind !== 'user' || row.owner_id !== actor.id))) {
    throw new AppError('not_found', `macro ${id} not found`);
  }
  return presentMacro(row);
}

/** Template variables and the shortcut: one shortcut means one macro among those one person sees. */
async function checkMacroParts(
  trx: Db,
  actor: Actor,
  input: { body: string; note: string; shortcut: string | null },
  exceptId: string | null,
) {
  assertKnownVariables(input.body, 'body');
  assertKnownVariables(input.note, 'note');
  if (!input.shortcut) return;
  const clash = await trx
    .selectFrom('macros')
    .select('name')
    .where('shortcut', '=', input.shortcut)
    .$if(exceptId !== null, (q) => q.where('id', '!=', exceptId as string))
    .where((eb) =>
      actor.kind === 'user'
        ? eb.or([eb('visibility', '=', 'shared'), eb('owner_id', '=', actor.id)])
        : eb('visibility', '=', 'shared'),
    )
    .executeTakeFirst();
  if (clash)
    throw new AppError('validation_failed', `shortcut: /${input.shortcut} is taken by "${clash.name}"`, [
      { path: 'shortcut', message: `taken by "${clash.name}"` },
    ]);
}

export type CreateMacroProps = { actor: Actor; raw: MacroInput; uploadsDir?: UploadLocation };

export async function createMacro(db: Db, { actor, raw, uploadsDir }: CreateMacroProps): Promise<Macro> {
  const input = MacroInput.parse(raw);
  assertMayWrite(actor, input.visibility, null);
  return db.transaction().execute(async (trx) => {
    await checkMacroActions(trx, { actions: input.actions });
    await checkMacroParts(trx, actor, input, null);
    const files = await macroFiles(uploadsDir, actor, input.attachments, []);
    const row = await trx
      .insertInto('macros')
      .values({
        attachments: JSON.stringify(files),
        name: input.name,
        body_html: sanitizeRichText(input.body),
        note_html: sanitizeRichText(input.note),
        shortcut: input.shortcut,
        actions: JSON.stringify(input.actions),
        visibility: input.visibility,
        owner_id: input.visibility === 'personal' && actor.kind === 'user' ? actor.id : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const macro = presentMacro(row);
    await recordAudit(trx, { actor, action: 'macro.created', entityType: 'macro', entityId: row.id, after: macro });
    return macro;
  });
}

export type UpdateMacroProps = { actor: Actor; id: string; raw: MacroInput; uploadsDir?: UploadLocation };

export async function updateMacro(db: Db, { actor, id, raw, uploadsDir }: UpdateMacroProps): Promise<Macro> {
  const input = MacroInput.parse(raw);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('macros').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before || (before.visibility === 'personal' && (actor.kind !== 'user' || before.owner_id !== actor.id)))
      throw new AppError('not_found', `macro ${id} not found`);
    // Both what it was and what it becomes: making a personal macro shared needs the shared right.
    assertMayWrite(actor, before.visibility, before.owner_id);
    assertMayWrite(actor, input.visibility, before.visibility === 'personal' ? before.owner_id : null);
    await checkMacroActions(trx, { actions: input.actions });
    await checkMacroParts(trx, actor, input, id);
    const files = await macroFiles(uploadsDir, actor, input.attachments, before.attachments);
    const ownerId = input.visibility === 'shared' ? null : (before.owner_id ?? (actor.kind === 'user' ? actor.id : null));
    const row = await trx
      .updateTable('macros')
      .set({
        attachments: JSON.stringify(files),
        name: input.name,
        body_html: sanitizeRichText(input.body),
        note_html: sanitizeRichText(input.note),
        shortcut: input.shortcut,
        actions: JSON.stringify(input.actions),
        visibility: input.visibility,
        owner_id: ownerId,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const macro = presentMacro(row);
    await recordAudit(trx, {
      actor,
      action: 'macro.updated',
      entityType: 'macro',
      entityId: id,
      before: presentMacro(before),
      after: macro,
    });
    return macro;
  });
}

export type DeleteMacroProps = { actor: Actor; id: string };

export async function deleteMacro(db: Db, { actor, id }: DeleteMacroProps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('macros').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before || (before.visibility === 'personal' && (actor.kind !== 'user' || before.owner_id !== actor.id)))
      throw new AppError('not_found', `macro ${id} not found`);
    assertMayWrite(actor, before.visibility, before.owner_id);
    await trx.deleteFrom('macros').where('id', '=', id).execute();
    await recordAudit(trx, { actor, action: 'macro.deleted', entityType: 'macro', entityId: id, before: presentMacro(before) });
  });
}

export type ListMacroUsesProps = { actor: Actor; id: string };

/** Every use of a macro, newest first (for reports). */
export async function listMacroUses(db: Db, { actor, id }: ListMacroUsesProps) {
  await getMacro(db, { actor, id });
  const rows = await db
    .selectFrom('macro_uses')
    .select(['user_id', 'conversation_id', 'used_at'])
    .where('macro_id', '=', id)
    .orderBy('used_at', 'desc')
    .limit(1000)
    .execute();
  return rows.map((r) => ({ userId: r.user_id, conversationId: r.conversation_id, usedAt: r.used_at.toISOString() }));
}

async function macroFiles(
  uploadsDir: UploadLocation | undefined,
  actor: Actor,
  files: MacroInput['attachments'] & {},
  already: CheckMacroFilesProps['already'],
) {
  if (!files.length) return [];
  if (!uploadsDir) throw new AppError('validation_failed', 'attachments: files cannot be attached here');
  return checkMacroFiles({ uploadsDir, actor, files, already });
}
