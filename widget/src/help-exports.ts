/**
 * What the help view (help.ts, loaded the first time the visitor opens the Help tab) takes from the app
 * instead of bundling its own copy: widget/build.mjs points help.ts's imports of these modules at the
 * app file, and the browser hands the help module the app module already running (same URL), so Lit and
 * the renderers exist once. Add a name here when help.ts imports something new from them.
 */
export { css, html, nothing } from 'lit';
export { isRtl } from './i18n';
export { markdownBlocks, markSegments, safeHref } from './render';
export { richFragment } from './rich';
