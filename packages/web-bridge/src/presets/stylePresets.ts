/**
 * The style presets: public-domain paintings shipped with the CLI and both plugins, so that there is
 * something to paint with before the designer has a style image. One list for every host; the files sit
 * beside this module (style-presets/), made by scripts/makeStylePresets.ts from ../shared/images.
 *
 * They are 640 px on their longest side: styles are shrunk to the result's size (times the style scale)
 * and never enlarged, so a preset is used as a file of its own size would be at the default 512 px and
 * below, and above it gives its brushwork at 640 px; JPEG at quality 85 keeps the busiest (The Starry Night)
 * at 131 KB, under the 150 KB each preset may weigh in the plugins' bundles.
 */
export const PRESET_SIDE = 640;
export const PRESET_JPEG_QUALITY = 85;

/** How a preset is named where a style file could be: `--style preset:starry-night`. */
export const PRESET_PREFIX = 'preset:';

export interface StylePreset {
  id: string;
  title: string;
  artist: string;
  year: number;
  licence: 'public domain';
  /** Where the shipped file comes from. */
  source: string;
  /** The file, relative to this module. */
  file: string;
  /** sha256 of the shipped file, hex. */
  sha256: string;
}

const SOURCE = 'github.com/jcjohnson/neural-style, commit 07c4b8299f8fbdafec0c514fc820ff1d7ff62e46, examples/inputs/';

export const STYLE_PRESETS: readonly StylePreset[] = [
  {
    id: 'starry-night',
    title: 'The Starry Night',
    artist: 'Vincent van Gogh',
    year: 1889,
    licence: 'public domain',
    source: `${SOURCE}starry_night.jpg`,
    file: 'style-presets/starry-night.jpg',
    sha256: '1d37551b1eb8fc74aa702c044f49e7cf2bb6b6b7f946cb0ac053d2eab037da9d',
  },
  {
    id: 'the-scream',
    title: 'The Scream',
    artist: 'Edvard Munch',
    year: 1893,
    licence: 'public domain',
    source: `${SOURCE}the_scream.jpg`,
    file: 'style-presets/the-scream.jpg',
    sha256: 'df0dbebfd97d37b389096d4989045ffb424744d24f889935ba67d54d32235dd6',
  },
  {
    id: 'shipwreck',
    title: 'The Shipwreck',
    artist: 'J. M. W. Turner',
    year: 1805,
    licence: 'public domain',
    source: `${SOURCE}shipwreck.jpg`,
    file: 'style-presets/shipwreck.jpg',
    sha256: '691e39bd990973bfe10bcc4d2b67be5dcbf7e2169e79f3716dea30ebef91595e',
  },
  {
    id: 'woman-with-hat',
    title: 'Woman with a Hat',
    artist: 'Henri Matisse',
    year: 1905,
    licence: 'public domain',
    source: `${SOURCE}woman-with-hat-matisse.jpg`,
    file: 'style-presets/woman-with-hat.jpg',
    sha256: '5d321b7285ec0741159117b4ee368ec5f84c63d2fb7584ed3d0d7b97a43ce621',
  },
];

/** "The Starry Night, Vincent van Gogh (1889), public domain". */
export const presetCredit = (p: StylePreset) => `${p.title}, ${p.artist} (${p.year}), ${p.licence}`;

export function findStylePreset(id: string): StylePreset | undefined {
  return STYLE_PRESETS.find((p) => p.id === id);
}
