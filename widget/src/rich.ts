import { safeHref } from './render';

/**
 * Agent rich text into DOM. The server already sanitized it; on top of that it is rebuilt here element
 * by element from an allowlist, never set as innerHTML of the live page. DOM-only (kept apart from the
 * pure render.ts, which is unit-tested in Node).
 */
const ALLOWED = new Set(['P', 'BR', 'B', 'STRONG', 'I', 'EM', 'U', 'S', 'UL', 'OL', 'LI', 'A', 'CODE', 'PRE', 'BLOCKQUOTE']);

/**
 * Rebuilds sanitized agent HTML into a fragment of `doc` from an allowlist. DOMParser documents are
 * inert (no scripts run, no images load); only allowed elements are created, with no attributes but a
 * checked href.
 */
export function richFragment(html: string, doc: Document): DocumentFragment {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const out = doc.createDocumentFragment();
  const copy = (from: Node, to: Node) => {
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeType === 3) {
        to.appendChild(doc.createTextNode(child.textContent ?? ''));
      } else if (child.nodeType === 1) {
        const el = child as Element;
        if (!ALLOWED.has(el.tagName)) {
          // Unknown elements keep their text, never their markup; script and style lose both.
          if (el.tagName !== 'SCRIPT' && el.tagName !== 'STYLE') copy(el, to);
          continue;
        }
        const made = doc.createElement(el.tagName.toLowerCase());
        if (el.tagName === 'A') {
          const href = safeHref(el.getAttribute('href'));
          if (href) {
            made.setAttribute('href', href);
            made.setAttribute('target', '_blank');
            made.setAttribute('rel', 'noopener noreferrer nofollow');
          }
        }
        copy(el, made);
        to.appendChild(made);
      }
    }
  };
  copy(parsed.body, out);
  return out;
}
