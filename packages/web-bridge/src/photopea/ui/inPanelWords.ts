/** web-bridge speaks of "this page" (it serves any browser host); in Photopea, that page is this panel. */
export function inPanelWords(text: string): string {
  return text.replace(/\bthis page\b/g, 'this panel').replace(/\bin the page\b/g, 'in the panel').replaceAll('`', '');
}
