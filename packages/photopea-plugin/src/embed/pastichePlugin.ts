import type { PhotopeaPlugin } from './photopeaUrl.ts';

/** The plugin's panel: narrow like Photopea's own panels, tall enough for the list, the settings and a preview. */
export const PANEL_SIZE = { width: 320, height: 640 };

/** The parameters the embed page passes on to the plugin page (see ui/main.ts). */
const PASSED_ON = ['runner', 'weights', 'timeout'];

/**
 * Pastiche's entry for Photopea's plugin list, for a plugin page at `pluginUrl`, with the embed page's
 * parameters passed on. The icon's "===" prefix asks Photopea to recolour a black-on-transparent icon to
 * the theme (https://www.photopea.com/api/plugins).
 */
export function pastichePlugin(pluginUrl: URL, iconUrl: URL, params: URLSearchParams): PhotopeaPlugin {
  const url = new URL(pluginUrl);
  for (const name of PASSED_ON) {
    const value = params.get(name);
    if (value) url.searchParams.set(name, value);
  }
  return { name: 'Pastiche', url: url.href, ...PANEL_SIZE, icon: `===${iconUrl.href}` };
}
