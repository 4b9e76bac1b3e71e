/**
 * A change that may take access away from (or give it to) live connections: sockets and collab
 * connections opened earlier are checked again through the gate. Whoever changes memberships, roles,
 * keys or sessions reports it here after the commit and waits, so that when the change's request
 * answers, no connection of any process still receives what it may no longer see.
 */
export type AccessChange =
  | { kind: 'user'; userId: string }
  | { kind: 'session'; sessionId: string }
  | { kind: 'api_key'; keyId: string };

export interface LiveAccess {
  /** Re-checks every live connection the change concerns, on every process; resolves when all have. */
  changed(...changes: AccessChange[]): Promise<void>;
}

/** Does a connection held by this user / session / key fall under the change? */
export function concerns(
  change: AccessChange,
  who: { userId: string | null; sessionId: string | undefined; apiKeyId: string | undefined },
): boolean {
  if (change.kind === 'user') return who.userId === change.userId;
  if (change.kind === 'session') return who.sessionId === change.sessionId;
  return who.apiKeyId === change.keyId;
}
