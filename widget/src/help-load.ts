import type { HelpHost, HelpView } from './help';

/**
 * The help view's module, fetched on first use: it sits next to the app as help.<hash>.js with the
 * app's hash (widget/build.mjs), so a cached app never loads another release's help view.
 */
export async function loadHelpView(host: HelpHost): Promise<HelpView> {
  const url = import.meta.url.replace(/\/app\.([0-9a-f]+)\.js$/, '/help.$1.js');
  const mod = (await import(/* @vite-ignore */ url)) as typeof import('./help');
  const root = host.renderRoot as ShadowRoot;
  if (mod.helpStyles.styleSheet) root.adoptedStyleSheets = [...root.adoptedStyleSheets, mod.helpStyles.styleSheet];
  return new mod.HelpView(host);
}
