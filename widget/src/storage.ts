/** The widget's localStorage: JSON values that never throw (storage full or blocked: this page view works). */
export const store = {
  get<T>(key: string): T | undefined {
    try {
      const raw = localStorage.getItem(key);
      return raw ? (JSON.parse(raw) as T) : undefined;
    } catch {
      return undefined;
    }
  },
  set(key: string, value: unknown) {
    try {
      if (value === undefined) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // storage full or blocked: the widget still works for this page view
    }
  },
};

/**
 * The RoomClient keeps unsent messages in localStorage (they survive a refresh and are sent again),
 * but not its last seen seqs: a fresh page has no messages in memory, so it joins from seq 0 and the
 * server replays the history.
 */
export const outboxOnly = {
  getItem: (k: string) => (k.endsWith(':seqs') ? null : localStorage.getItem(k)),
  setItem: (k: string, v: string) => {
    if (!k.endsWith(':seqs')) localStorage.setItem(k, v);
  },
  removeItem: (k: string) => localStorage.removeItem(k),
};

/** The `sub` claim of a JWT, unverified (the server verifies). */
export function subjectOf(token: string): string | null {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? `jwt:${sub}` : null;
  } catch {
    return null;
  }
}
