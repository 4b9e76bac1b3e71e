import type { Role, Scope } from '@autocrm/shared';
import { ROLE_SCOPES } from '@autocrm/shared';

/** Who is acting: recorded in the audit log and status history, checked by scope guards. */
export type Actor =
  | { kind: 'user'; id: string; role: Role; name: string }
  | { kind: 'api_key'; id: string; scopes: Scope[] }
  | { kind: 'system' };

export const SYSTEM: Actor = { kind: 'system' };

export function actorLabel(actor: Actor): string {
  return actor.kind === 'system' ? 'system' : `${actor.kind}:${actor.id}`;
}

export function actorScopes(actor: Actor): readonly Scope[] {
  if (actor.kind === 'user') return ROLE_SCOPES[actor.role];
  if (actor.kind === 'api_key') return actor.scopes;
  return ROLE_SCOPES.admin;
}

/** `admin` implies every scope. */
export function hasScope(actor: Actor, scope: Scope): boolean {
  const scopes = actorScopes(actor);
  return scopes.includes('admin') || scopes.includes(scope);
}
