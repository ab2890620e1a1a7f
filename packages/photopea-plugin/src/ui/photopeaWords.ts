import type { HostWords } from '@pastiche/web-bridge/ui';

/** In Photopea, the page the in-page engine paints in is the plugin's panel, a frame from another origin. */
export const PHOTOPEA_WORDS: HostWords = {
  here: 'this panel',
  inPageChoice: 'In panel',
  addStyle: 'a layer to take the style from, or a style preset',
  serveNote: 'with --allow-origin for this page',
};
