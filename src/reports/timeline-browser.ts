/**
 * Headless Chromium for the page tests and the timeline benchmark: the Debian `chromium` binary driven by
 * playwright-core (a dev dependency, so it is imported lazily and never needed to generate reports).
 */
import { execFileSync } from 'node:child_process';
import type { Browser } from 'playwright-core';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Path of the chromium binary (`CHROMIUM_PATH`, else `command -v chromium`), or null when none is installed. */
export function findChromium(): string | null {
  if (process.env['CHROMIUM_PATH']) return process.env['CHROMIUM_PATH'];
  try {
    const path = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    }).trim();
    return path === '' ? null : path;
  } catch {
    return null;
  }
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: ARGS });
}
