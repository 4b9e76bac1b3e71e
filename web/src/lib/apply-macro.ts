import type { components } from '@autocrm/shared/api-types';
import { apiWrite } from './realtime';

/**
 * What applying a macro answers: `bodyHtml` is the public reply with its variables filled in (may be
 * empty); `missing` names variables that had no value and no fallback (rendered empty, the agent checks).
 */
export type AppliedMacro = components['schemas']['MacroApplyResult'];

/**
 * Applies a server macro to a conversation: its field changes and its internal note happen on the
 * server (the note arrives in the room as a note); the public reply comes back for the reply box.
 */
export async function applyMacro(
  csrfToken: string,
  conversationId: string,
  macroId: string,
): Promise<{ ok: true; result: AppliedMacro } | { ok: false; message: string }> {
  try {
    const res = await apiWrite(csrfToken, 'POST', `/conversations/${conversationId}/macros/${macroId}/apply`, {});
    if (res.status === 200) return { ok: true, result: res.body as AppliedMacro };
    return { ok: false, message: res.body?.error?.message ?? `Could not apply (HTTP ${res.status})` };
  } catch {
    return { ok: false, message: 'Could not apply: network error' };
  }
}
