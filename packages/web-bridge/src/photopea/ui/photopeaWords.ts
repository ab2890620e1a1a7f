import type { HostWords } from '../../ui/HostWords.ts';

/** In Photopea, the page the in-page engine paints in is the plugin's panel, a frame from another origin. */
export const PHOTOPEA_WORDS: HostWords = { here: 'this panel', inPageChoice: 'In panel', serveNote: 'with --allow-origin for this page' };
