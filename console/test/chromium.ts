import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium as the console's tests and benchmark drive it (Playwright's core library through its
 * executablePath; Playwright's own browser downloads are not used). `scripts/chromium.mjs` finds and installs the same
 * binary for `npm test`.
 */

/** The Chromium to drive: PONTE_CHROMIUM, else Debian's; undefined when there is none. */
export const chromiumPath = [process.env.PONTE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => !!p && fs.existsSync(p),
);

/** The flags Chromium needs on a machine with no network beyond loopback, as root, without a display. */
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error('no Chromium: install Debian’s chromium package or set PONTE_CHROMIUM');
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
}
