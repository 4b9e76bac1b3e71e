import { css } from 'lit';

/** The widget's look, in its shadow root (the host page's CSS cannot reach it, nor it the page). */
export const styles = css`
  .root {
    all: initial;
    position: fixed;
    bottom: 20px;
    right: 20px;
    z-index: 2147483000;
    font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    color: #111827;
    --c: #2563eb;
  }
  .root.left { right: auto; left: 20px; }
  * { box-sizing: border-box; font: inherit; color: inherit; }
  button { cursor: pointer; border: 0; background: none; min-height: 44px; min-width: 44px; }
  button:focus-visible, textarea:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  .launcher {
    width: 60px; height: 60px; border-radius: 50%; background: var(--c); color: #fff;
    box-shadow: 0 6px 20px rgba(0,0,0,.25); display: grid; place-items: center; position: relative;
  }
  .launcher svg { width: 28px; height: 28px; fill: #fff; }
  .badge {
    position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; border-radius: 11px; padding: 0 6px;
    background: #b91c1c; color: #fff; font-size: 12px; font-weight: 700; display: grid; place-items: center;
  }
  .bubble {
    position: absolute; bottom: 72px; right: 0; width: 260px; background: #fff; color: #111827; padding: 12px 14px;
    border-radius: 12px; box-shadow: 0 6px 24px rgba(0,0,0,.18); text-align: start; min-height: 0;
  }
  .left .bubble { right: auto; left: 0; }
  .bubble .x { position: absolute; top: 2px; right: 4px; border: 0; background: none; font-size: 18px; cursor: pointer; color: #6b7280; }
  .panel {
    position: fixed; bottom: 92px; right: 20px; width: 380px; height: min(620px, calc(100vh - 120px));
    background: #fff; color: #111827; border-radius: 16px; box-shadow: 0 12px 40px rgba(0,0,0,.25);
    display: flex; flex-direction: column; overflow: hidden;
  }
  .left .panel { right: auto; left: 20px; }
  header { background: var(--c); color: #fff; padding: 10px 12px; display: flex; align-items: center; gap: 8px; }
  header h2 { margin: 0; font-size: 16px; font-weight: 700; }
  header .sub { font-size: 12px; opacity: .95; }
  header .grow { flex: 1; min-width: 0; }
  header button { color: #fff; font-size: 22px; border-radius: 8px; }
  [dir='rtl'] .back { transform: scaleX(-1); }
  .body { flex: 1; overflow-y: auto; padding: 12px; background: #f9fafb; }
  .notice { background: #fff7ed; color: #7c2d12; border: 1px solid #fed7aa; border-radius: 10px; padding: 10px; margin-bottom: 10px; }
  .notice.info { background: #eff6ff; color: #1e3a8a; border-color: #bfdbfe; }
  .msg { max-width: 80%; margin: 6px 0; display: flex; flex-direction: column; }
  .msg .who { font-size: 12px; color: #4b5563; margin: 0 4px 2px; }
  .msg .text { padding: 8px 12px; border-radius: 14px; background: #fff; border: 1px solid #e5e7eb; white-space: pre-wrap; overflow-wrap: anywhere; }
  .msg .text p { margin: 0 0 6px; } .msg .text p:last-child { margin: 0; }
  /* The bot's quoted passage of a help article: set apart from its own words, in the brand colour. */
  .msg .text blockquote { margin: 4px 0 8px; padding: 6px 10px; border-left: 3px solid var(--c); background: rgba(255,255,255,.7); border-radius: 4px 8px 8px 4px; }
  .msg .text blockquote p { margin: 0 0 4px; }
  .msg .text ul { margin: 0 0 6px; padding-left: 18px; }
  .msg.contact { margin-inline-start: auto; align-items: flex-end; }
  .msg.contact .text { background: var(--c); color: #fff; border-color: transparent; }
  .msg.contact .text a { color: #fff; }
  .msg .text a { color: #1d4ed8; text-decoration: underline; }
  .msg.system { max-width: 100%; align-items: center; color: #4b5563; font-style: italic; font-size: 13px; }
  .msg.system .text { background: none; border: 0; }
  .meta { font-size: 11px; color: #4b5563; margin: 2px 4px 0; }
  .notice.queue { margin: 0; border-radius: 0; border-width: 1px 0 0; padding: 8px 12px; }
  .typing { font-size: 12px; color: #4b5563; padding: 2px 4px; min-height: 18px; }
  form.composer { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e5e7eb; background: #fff; align-items: flex-end; }
  textarea, input {
    flex: 1; resize: none; border: 1px solid #9ca3af; border-radius: 10px; padding: 10px; min-height: 44px; max-height: 120px;
    background: #fff; color: #111827; width: 100%;
  }
  .primary { background: var(--c); color: #fff; border-radius: 10px; padding: 0 16px; font-weight: 600; }
  .list button.conv { display: block; width: 100%; text-align: start; background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 10px 12px; margin: 6px 0; }
  .list button.conv.primary { background: var(--c); color: #fff; border-color: transparent; text-align: center; font-weight: 600; }
  .list h3 { font-size: 14px; margin: 12px 0 4px; }
  .stars { display: flex; gap: 4px; margin: 8px 0; }
  .stars button { font-size: 24px; color: #4b5563; border-radius: 8px; }
  .stars button[aria-pressed='true'] { color: #b45309; }
  label { display: block; margin: 8px 0 4px; font-weight: 600; font-size: 13px; }
  .row { display: flex; gap: 8px; margin-top: 6px; }
  .attach { min-width: 44px; min-height: 44px; display: grid; place-items: center; cursor: pointer; border-radius: 10px; font-size: 20px; position: relative; }
  .attach:focus-within { outline: 3px solid #f59e0b; }
  .text a.file { display: block; margin-top: 6px; }
  .attach svg, a.file svg { width: 20px; height: 20px; fill: currentColor; vertical-align: middle; }
  .text img { max-width: 100%; max-height: 200px; border-radius: 8px; display: block; }
  b, strong { font-weight: 700; } i, em { font-style: italic; } code { font-family: ui-monospace, monospace; font-size: 13px; }
  .tabs { display: flex; background: #fff; border-bottom: 1px solid #e5e7eb; }
  .tabs button { flex: 1; border-bottom: 3px solid transparent; color: #4b5563; font-weight: 600; }
  .tabs button[aria-selected='true'] { border-bottom-color: var(--c); color: #111827; }
  .tag { display: inline-block; font-size: 10px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; background: #ede9fe; color: #5b21b6; border-radius: 4px; padding: 0 5px; margin-inline-start: 4px; vertical-align: 1px; line-height: 16px; }
  .msg.bot .text { background: #f5f3ff; border-color: #ddd6fe; }
  .msg.bot .text ul { margin: 4px 0 0; padding-inline-start: 18px; white-space: normal; }
  .msg.streaming .text::after { content: '▍'; opacity: .6; }
  button.handoff, .pill, .ghost, .choice { background: #fff; border: 1px solid #9ca3af; border-radius: 10px; padding: 0 14px; font-weight: 600; }
  button.handoff { margin-top: 6px; align-self: flex-start; border-radius: 22px; }
  button:disabled { opacity: .6; cursor: default; }
  .transcript { display: flex; align-items: center; flex-wrap: wrap; gap: 8px; margin-top: 10px; font-size: 13px; color: #4b5563; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  @media (max-width: 640px) {
    .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; bottom: 0; right: 0; }
    .left .panel { left: 0; }
    .root.open .launcher, .root.open .bubble { display: none; }
    textarea, input { font-size: 16px; } /* 16px keeps iOS from zooming into the field */
  }
`;
