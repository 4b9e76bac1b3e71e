/**
 * What the config cache holds: data read on every new conversation, bot turn or API request and changed
 * only by an admin. One key per kind, so an invalidation names kinds, never single rows.
 */
export const CACHE_KEYS = [
  'routing-settings',
  'routing-rules',
  'calendars',
  'kb-locales',
  'default-status',
  'custom-fields',
  'api-keys',
] as const;
export type CacheKey = (typeof CACHE_KEYS)[number];

// Parsed routing rules are checked against everything a rule may name (teams, users, inboxes, fields,
// macros, statuses, webhooks, skills), so a change to any of those drops them.
const RULE_INPUTS = new Set(['routing_rule', 'team', 'skill', 'user', 'inbox', 'custom_field', 'macro', 'status', 'webhook']);

/**
 * The cached kinds an audited change makes stale. Every admin change is audited in its own transaction
 * (domain/audit/record-audit.ts), so deriving invalidation from the audit entry cannot forget a route.
 */
export function staleKeysOf(entityType: string, entityId: string): CacheKey[] {
  const keys: CacheKey[] = [];
  if (RULE_INPUTS.has(entityType)) keys.push('routing-rules');
  if (entityType === 'team') keys.push('calendars');
  if (entityType === 'settings' && entityId === 'routing') keys.push('routing-settings');
  if (entityType === 'kb_article') keys.push('kb-locales');
  if (entityType === 'status') keys.push('default-status');
  if (entityType === 'custom_field') keys.push('custom-fields');
  if (entityType === 'api_key') keys.push('api-keys');
  return keys;
}
