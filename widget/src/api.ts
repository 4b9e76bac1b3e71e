/**
 * The page-facing JS API, in the shape site owners know from Intercom and Chatwoot:
 *   AutoCRM('boot', {websiteToken}), AutoCRM('on', 'message', fn), AutoCRM('show') ...
 * Calls made before the script loaded sit in `AutoCRM.q` (the stub in the embed snippet) and are
 * replayed in order. Pure: no DOM, so it is unit-tested in Node.
 */
export type ApiEvent = 'ready' | 'open' | 'close' | 'message' | 'unreadCount';
export const API_EVENTS: readonly ApiEvent[] = ['ready', 'open', 'close', 'message', 'unreadCount'];
export const API_METHODS = ['boot', 'update', 'shutdown', 'show', 'hide', 'identify', 'setLocale'] as const;
export type ApiMethod = (typeof API_METHODS)[number];

export type Handlers = Record<ApiMethod, (arg?: any) => unknown>;
type Fn = (payload?: unknown) => void;

export interface Dispatcher {
  (method: string, ...args: unknown[]): unknown;
  /** Tells listeners of a widget event; a throwing listener does not stop the others. */
  emit(event: ApiEvent, payload?: unknown): void;
  q?: unknown[];
}

export function createDispatcher(handlers: Handlers, log: (msg: string) => void = () => {}): Dispatcher {
  const listeners = new Map<ApiEvent, Set<Fn>>();
  // 'ready' may be emitted before a listener subscribes; late subscribers still hear it once.
  let ready: { payload: unknown } | undefined;
  const dispatch = ((method: string, ...args: unknown[]) => {
    if (method === 'on' || method === 'off') {
      const [name, fn] = args as [ApiEvent, Fn];
      if (!API_EVENTS.includes(name) || typeof fn !== 'function') return log(`AutoCRM: unknown event ${String(name)}`);
      const set = listeners.get(name) ?? new Set<Fn>();
      listeners.set(name, set);
      if (method === 'off') return void set.delete(fn);
      set.add(fn);
      if (name === 'ready' && ready) fn(ready.payload);
      return;
    }
    if (!(API_METHODS as readonly string[]).includes(method)) return log(`AutoCRM: unknown method ${String(method)}`);
    return handlers[method as ApiMethod](args[0]);
  }) as Dispatcher;
  dispatch.emit = (event, payload) => {
    if (event === 'ready') ready = { payload };
    for (const fn of listeners.get(event) ?? []) {
      try {
        fn(payload);
      } catch (err) {
        log(`AutoCRM: a ${event} listener threw: ${String(err)}`);
      }
    }
  };
  return dispatch;
}

/** Replays the calls queued by the stub, in order. Each entry is an `arguments` object or an array. */
export function drainQueue(queue: ArrayLike<unknown>[] | undefined, dispatch: Dispatcher): void {
  for (const call of queue ?? []) {
    const [method, ...args] = Array.from(call);
    dispatch(String(method), ...args);
  }
}
