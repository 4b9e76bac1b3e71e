import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium: browser tests need it (CI installs it; suites skip where it is missing). */
export const CHROMIUM = '/usr/bin/chromium';

// Headless and quiet: no sandbox (CI runs as root), no GPU, and no background traffic to Google.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface CspViolation {
  page: string;
  directive: string;
  blocked: string;
}

/**
 * Records every Content-Security-Policy violation in this context's pages and frames: the
 * `securitypolicyviolation` event (reported through a binding) and Chromium's "Refused to …" console
 * errors, for violations that fire no event (a blocked `eval`, a worker).
 */
export async function watchCsp(context: BrowserContext): Promise<CspViolation[]> {
  const seen: CspViolation[] = [];
  await context.exposeBinding('__reportCspViolation', ({ page }, directive: string, blocked: string) => {
    seen.push({ page: page.url(), directive, blocked });
  });
  await context.addInitScript(() => {
    const report = (globalThis as any).__reportCspViolation;
    (globalThis as any).document.addEventListener(
      'securitypolicyviolation',
      (e: any) => report?.(e.effectiveDirective, e.blockedURI || e.sample || ''),
      true,
    );
  });
  const watchPage = (page: Page) =>
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
        seen.push({ page: page.url(), directive: 'console', blocked: m.text() });
    });
  for (const p of context.pages()) watchPage(p);
  context.on('page', watchPage);
  return seen;
}
