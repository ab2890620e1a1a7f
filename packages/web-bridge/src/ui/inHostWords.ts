import type { HostWords } from './HostWords.ts';

/** web-bridge speaks of "this page" (it serves any browser host); in a plugin, that page is the plugin's own. */
export function inHostWords(text: string, words: HostWords): string {
  return text.replace(/\bthis page\b/g, words.here).replace(/\bin the page\b/g, `in ${words.here}`).replaceAll('`', '');
}
