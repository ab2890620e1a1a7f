import path from 'node:path';
import type { Page } from 'playwright-core';
import { FIGMA_THEMES } from './figmaThemes.ts';

/**
 * `NAME-light.png` and `NAME-dark.png` in `folder`: the plugin's iframe (#plugin) as it is, under each of
 * Figma's themes (its tokens and class put on <html> for the shot, as Figma injects them), then as it was.
 */
export async function shootInThemes(page: Page, folder: string, name: string): Promise<void> {
  const html = page.frameLocator('#plugin').locator('html');
  const before = await html.evaluate((e) => ({ classes: e.getAttribute('class') ?? '', style: e.getAttribute('style') }));
  for (const theme of ['light', 'dark'] as const) {
    await html.evaluate((e, { className, tokens }) => {
      e.classList.remove('figma-light', 'figma-dark');
      e.classList.add(className);
      for (const [token, value] of Object.entries(tokens)) e.style.setProperty(`--figma-color-${token}`, value);
    }, FIGMA_THEMES[theme]);
    await page.locator('#plugin').screenshot({ path: path.join(folder, `${name}-${theme}.png`) });
  }
  await html.evaluate((e, { classes, style }) => {
    e.setAttribute('class', classes);
    if (style === null) e.removeAttribute('style');
    else e.setAttribute('style', style);
  }, before);
}
