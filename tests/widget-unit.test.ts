import { describe, expect, it } from 'vitest';
import { createDispatcher, drainQueue } from '../widget/src/api';
import { DICTIONARIES } from '../widget/src/dictionaries';
import { isRtl, LOCALES, pickLocale, registerDictionary, t } from '../widget/src/i18n';

// The widget fetches these at run time; here they are registered straight from the source.
for (const [locale, strings] of Object.entries(DICTIONARIES)) registerDictionary(locale, strings);

import { renderMode, safeHref, textSegments } from '../widget/src/render';

describe('widget JS API', () => {
  const recorder = () => {
    const calls: [string, unknown][] = [];
    const handler = (name: string) => (arg?: unknown) => void calls.push([name, arg]);
    const handlers = {
      boot: handler('boot'),
      update: handler('update'),
      shutdown: handler('shutdown'),
      show: handler('show'),
      hide: handler('hide'),
      identify: handler('identify'),
      setLocale: handler('setLocale'),
    };
    return { calls, handlers };
  };

  it('replays calls queued by the stub before the script loaded, in order', () => {
    const { calls, handlers } = recorder();
    // What the embed snippet's stub stores: `arguments` objects.
    const queue: ArrayLike<unknown>[] = [];
    const stub = function (..._args: unknown[]) {
      // biome-ignore lint/complexity/noArguments: the stub pattern stores `arguments`, as real snippets do
      queue.push(arguments);
    };
    stub('boot', { websiteToken: 'wt_1' });
    stub('setLocale', 'de');
    stub('show');
    const log: string[] = [];
    const api = createDispatcher(handlers, (m) => log.push(m));
    drainQueue(queue, api);
    expect(calls).toEqual([
      ['boot', { websiteToken: 'wt_1' }],
      ['setLocale', 'de'],
      ['show', undefined],
    ]);
    expect(log).toEqual([]);
  });

  it('registers event listeners from the queue and tells late ready listeners too', () => {
    const { handlers } = recorder();
    const api = createDispatcher(handlers);
    const heard: unknown[] = [];
    drainQueue([['on', 'unreadCount', (n: unknown) => heard.push(['unread', n])]], api);
    api.emit('unreadCount', 3);
    api.emit('ready', { conversations: 0 });
    api('on', 'ready', (p: unknown) => heard.push(['ready', p]));
    const off = (n: unknown) => heard.push(['never', n]);
    api('on', 'message', off);
    api('off', 'message', off);
    api.emit('message', { text: 'x' });
    expect(heard).toEqual([
      ['unread', 3],
      ['ready', { conversations: 0 }],
    ]);
  });

  it('refuses unknown methods and events without throwing, and isolates throwing listeners', () => {
    const { calls, handlers } = recorder();
    const log: string[] = [];
    const api = createDispatcher(handlers, (m) => log.push(m));
    api('explode');
    api('on', 'nope', () => {});
    api('on', 'open', () => {
      throw new Error('bad listener');
    });
    const after: string[] = [];
    api('on', 'open', () => after.push('ran'));
    api.emit('open');
    expect(calls).toEqual([]);
    expect(after).toEqual(['ran']);
    expect(log).toHaveLength(3);
  });
});

describe('widget locale choice', () => {
  it('takes the boot option first, then the browser languages, then English', () => {
    expect(pickLocale('de', ['fr-FR'])).toBe('de');
    expect(pickLocale(undefined, ['pt-BR', 'en'])).toBe('pt');
    expect(pickLocale('xx', ['ja-JP'])).toBe('ja');
    expect(pickLocale(undefined, ['zz', 'es_MX'])).toBe('es');
    expect(pickLocale(null, [])).toBe('en');
  });

  it('covers the required languages, lays Arabic out right to left, and fills placeholders', () => {
    for (const l of ['en', 'de', 'fr', 'es', 'pt', 'ja', 'ar']) expect(LOCALES).toContain(l);
    expect(isRtl('ar')).toBe(true);
    expect(isRtl('de')).toBe(false);
    expect(t('de', 'answeringAgent', { name: 'Sam' })).toBe('Sam antwortet');
    expect(t('ja', 'unread', { n: 2 })).toBe('未読メッセージ2件');
    expect(t('xx', 'send')).toBe('Send');
  });
});

describe('widget message rendering', () => {
  it('renders customer messages as text: a script stays visible characters', () => {
    const body = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    expect(renderMode({ authorKind: 'contact' })).toBe('text');
    expect(textSegments(body)).toEqual([{ text: body }]);
  });

  it('turns web links in text into safe links and refuses other schemes', () => {
    expect(textSegments('see https://example.com/a?b=1. thanks')).toEqual([
      { text: 'see ' },
      { text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { text: '. thanks' },
    ]);
    expect(textSegments('javascript:alert(1)')).toEqual([{ text: 'javascript:alert(1)' }]);
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JavaScript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>')).toBeNull();
    expect(safeHref('mailto:help@example.com')).toBe('mailto:help@example.com');
    expect(renderMode({ authorKind: 'agent' })).toBe('rich');
  });
});
