import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { harness } from './env';

export const WIDTHS = [1280, 375] as const;

/**
 * Full-page screenshots of the current page at 1280 and 375 px, saved as
 * test-results/screenshots/<name>-<width>.png; also checks nothing overflows horizontally.
 */
export async function shoot(page: Page, name: string, ready?: () => Promise<void>): Promise<void> {
  mkdirSync(harness.screenshotsDir, { recursive: true });
  const original = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width > 800 ? 900 : 812 });
    if (ready) await ready();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 1) throw new Error(`${name} overflows horizontally by ${overflow}px at ${width}px`);
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await page.screenshot({ path: join(harness.screenshotsDir, `${name}-${width}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}
