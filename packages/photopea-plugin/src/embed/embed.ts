/**
 * The embed page: Photopea full-window, with Pastiche in its plugin list through the URL configuration.
 * Parameters: `file` (repeatable: images to open at start), `runner`, `weights`, `timeout` (passed on to
 * the plugin page), `photopea` (another Photopea address).
 */
import { pastichePlugin } from './pastichePlugin.ts';
import { PHOTOPEA_ORIGIN, photopeaUrl } from './photopeaUrl.ts';

const params = new URLSearchParams(location.search);
const isHttp = (value: string) => /^https?:\/\//.test(value);
const plugin = pastichePlugin(new URL('plugin.html', location.href), new URL('icon.svg', location.href), params);
const files = params.getAll('file').filter(isHttp);
const photopea = params.get('photopea');
const frame = document.getElementById('photopea') as HTMLIFrameElement;
frame.src = photopeaUrl({ plugins: [plugin], files }, photopea && isHttp(photopea) ? photopea : PHOTOPEA_ORIGIN);
