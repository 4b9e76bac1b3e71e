// Routing's worker lives in workers/routing-rounds.ts, its listener in listeners/route-conversations.ts and
// its steps beside this file; the type stays importable here for the tests that name it by this path.
export type { RoutingEngine } from '../../workers/routing-rounds';
