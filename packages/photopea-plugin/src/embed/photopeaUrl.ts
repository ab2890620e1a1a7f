/** One entry of Photopea's `environment.plugins` (https://www.photopea.com/api/plugins). */
export interface PhotopeaPlugin {
  name: string;
  url: string;
  width: number;
  height: number;
  icon?: string;
}

export const PHOTOPEA_ORIGIN = 'https://www.photopea.com';

/**
 * Photopea's address with a configuration after the hash: a JSON object, URI-encoded
 * (https://www.photopea.com/api/ — encodeURIComponent). `files` are opened at start, `plugins` get a button
 * on the right that opens their page in a panel. `photopea`: another Photopea address (a self-hosted copy,
 * or the tests' stand-in).
 */
export function photopeaUrl(config: { plugins: PhotopeaPlugin[]; files?: string[] }, photopea = PHOTOPEA_ORIGIN): string {
  const json = { ...(config.files?.length ? { files: config.files } : {}), environment: { plugins: config.plugins } };
  return `${photopea.replace(/\/+$/, '')}/#${encodeURIComponent(JSON.stringify(json))}`;
}
