import { type Browser, chromium } from 'playwright-core';

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
