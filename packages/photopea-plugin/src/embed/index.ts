export { PANEL_SIZE, pastichePlugin } from './pastichePlugin.ts';
export { PHOTOPEA_ORIGIN, photopeaUrl, type PhotopeaPlugin } from './photopeaUrl.ts';
