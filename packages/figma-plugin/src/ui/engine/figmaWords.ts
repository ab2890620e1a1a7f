import type { HostWords } from '@pastiche/web-bridge/ui';

/** In Figma, the page the in-page engine paints in is the plugin's UI. */
export const FIGMA_WORDS: HostWords = {
  here: 'the plugin',
  inPageChoice: 'In plugin',
  addStyle: 'also select one or more layers to borrow the style from, or pick a style preset',
};
