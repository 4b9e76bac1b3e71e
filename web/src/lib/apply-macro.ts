import type { components } from '@autocrm/shared/api-types';
import { apiError, browserApi } from './api-client';

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
    const { data, error, response } = await browserApi(csrfToken).POST('/conversations/{id}/macros/{macroId}/apply', {
      params: { path: { id: conversationId, macroId } },
    });
    if (response.status === 200 && data) return { ok: true, result: data };
    return { ok: false, message: apiError(error, `Could not apply (HTTP ${response.status})`) };
  } catch {
    return { ok: false, message: 'Could not apply: network error' };
  }
}
