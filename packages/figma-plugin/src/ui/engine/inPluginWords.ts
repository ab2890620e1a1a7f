/** web-bridge speaks of "this page" (it serves any browser host); in Figma, that page is the plugin. */
export function inPluginWords(text: string): string {
  return text.replace(/\bthis page\b/g, 'the plugin').replace(/\bin the page\b/g, 'in the plugin');
}
