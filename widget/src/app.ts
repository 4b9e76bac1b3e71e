import { createDispatcher, type Dispatcher, drainQueue } from './api';
import { AutoCrmWidget } from './element';
import type { BootOptions, User } from './types';

export * from './help-exports';

// The widget's module: defines the element, then takes over from the loader's stub and replays its queue.
const TAG = 'autocrm-widget';
if (!customElements.get(TAG)) customElements.define(TAG, AutoCrmWidget);
{
  const w = window as unknown as { AutoCRM?: { q?: ArrayLike<unknown>[] } & Record<string, unknown> };
  // The server the widget comes from (the loader adds this file as a module script from there).
  const origin = new URL(import.meta.url).origin;
  let el: AutoCrmWidget | undefined;
  const widget = () => {
    if (!el) {
      el = document.createElement(TAG) as AutoCrmWidget;
      el.origin = origin;
      el.api = api;
      document.body.appendChild(el);
    }
    return el;
  };
  const log = (msg: string) => console.warn(msg);
  const api: Dispatcher = createDispatcher(
    {
      boot: (o: BootOptions) =>
        widget()
          .boot(o)
          .catch((err) => log(String(err))),
      update: (o: Partial<BootOptions> & User) => el?.updateBoot(o),
      shutdown: () => {
        el?.shutdown();
        el?.remove();
        el = undefined;
      },
      show: () => el?.show(),
      hide: () => el?.hide(),
      identify: (u: User) => el?.identify(u),
      setLocale: (l: string) => el?.setLocale(l),
    },
    log,
  );
  const queue = w.AutoCRM?.q;
  (window as unknown as { AutoCRM: Dispatcher }).AutoCRM = api;
  drainQueue(queue, api);
}
