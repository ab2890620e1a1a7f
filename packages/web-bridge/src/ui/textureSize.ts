import { parseTextureSize, PasticheInputError, type TextureSize } from '@pastiche/core';
import { resolveRunOptions, type RunSettings } from '../settings/resolveRunOptions.ts';

/** What a panel keeps for a texture: the size as the user typed it ('' = the run's size, square). */
export interface TextureState {
  textureText: string;
  settings: RunSettings;
}

/**
 * The size of a texture the panel paints when no content is chosen: what the user typed in the texture field,
 * read as the CLI reads `--texture` (the core's parseTextureSize: "WxH" or one side), or, while the field is
 * empty, the run's size (the quality preset's, or Advanced's Size) squared.
 */
export function textureSizeOf({ textureText, settings }: TextureState): TextureSize {
  if (textureText.trim() === '') {
    const { size } = resolveRunOptions(settings);
    return { width: size, height: size };
  }
  return parseTextureSize(textureText);
}

/**
 * Why a run with no content cannot start, in the panels' words (undefined: it paints a texture). Without
 * Pattern a run with no content is refused rather than painted: an unseamed texture is rarely what a
 * designer wants, and a content left unchosen by mistake should not quietly become one.
 */
export function findTextureProblem(state: TextureState, chooseContent: string): string | undefined {
  if (state.settings.advanced.seamless !== true) return `${chooseContent} Or turn on Pattern (in Advanced) to paint a seamless texture from the styles alone.`;
  try {
    textureSizeOf(state);
    return undefined;
  } catch (error) {
    if (error instanceof PasticheInputError) return `Texture size: ${error.problem}.`;
    throw error;
  }
}
