import type { RunnerStatus } from '@pastiche/web-bridge';
import { findStylePreset } from '@pastiche/web-bridge/presets';
import { chooseStylesToPaint, exportPresetPng, stylizeEach, stylizeInHost, textureSizeOf, type EngineProvider, type PresetImages, type Store } from '@pastiche/web-bridge/ui';
import { requestFromMain } from '../messaging/requestFromMain.ts';
import type { UiState } from '../state/UiState.ts';
import { FIGMA_WORDS } from '../engine/figmaWords.ts';
import { cutIntoTiles } from './cutIntoTiles.ts';
import { explainRunError } from './explainRunError.ts';
import { findRunProblem } from './findRunProblem.ts';
import { nextRunId } from './nextRunId.ts';
import { renderRegionMask } from '../regions/renderRegionMask.ts';

export interface RunContext {
  store: Store<UiState>;
  engines: EngineProvider;
  /** Probes the runner now (its status decides where a run goes). */
  refreshRunner(): Promise<RunnerStatus>;
  signal: AbortSignal;
  presetImages: PresetImages;
}

/**
 * Stylize: each layer marked Content in turn (web-bridge's stylizeEach: one result each, the styles' targets
 * computed once), or, on "Refine", the content again starting from the result's pixels; with no content, a
 * seamless texture from the styles alone (findRunProblem allows it only with Pattern on).
 */
export function runStylize(context: RunContext): Promise<void> {
  const { store, signal } = context;
  const { roles, selection, refine } = store.get();
  const contents = refine || !roles.contentId ? [roles.contentId] : [roles.contentId, ...(roles.moreContents ?? [])];
  const names = contents.map((id) => (id ? (selection.find((n) => n.id === id)?.name ?? 'Layer') : 'the texture'));
  return stylizeEach(store, names, signal, (i) => runOne(context, contents[i]));
}

/**
 * One Stylize (web-bridge's stylizeInHost) with Figma's parts: the main code exports the layers and each
 * style's region (rendered here into a mask), and places the result once it exists, in tiles above Figma's
 * image size limit. Nothing is sent for placing until the result exists, so a failed or cancelled run
 * leaves the document as it was. Ends in done, failed or cancelled.
 */
function runOne({ store, engines, refreshRunner, signal, presetImages }: RunContext, contentId: string | null): Promise<void> {
  return stylizeInHost({
    store,
    engines,
    refreshRunner,
    signal,
    words: FIGMA_WORDS,
    findProblem: findRunProblem,
    textureSize: (state) => (contentId ? undefined : textureSizeOf(state)),
    readInputs: ({ state }) => {
      // Layers and presets blend as one list of styles (a single one takes the whole style term).
      const chosen = chooseStylesToPaint([...state.roles.styles.map((style) => ({ weight: style.weight, style })), ...state.presets.map((preset) => ({ weight: preset.weight, preset }))]);
      return {
        roles: { ...(contentId && { contentId }), styles: chosen.flatMap((c) => ('style' in c ? [{ id: c.style.id, weight: c.weight }] : [])) },
        presets: chosen.flatMap((c) => ('preset' in c ? [{ id: c.preset.id, weight: c.weight }] : [])),
      };
    },
    async exportImages({ roles, presets }, { state, options, styleSide, setRun }) {
      setRun({ phase: 'preparing', step: 'Exporting layers…' });
      const runId = nextRunId();
      // A texture has no content for a region to mark.
      const regions = roles.styles.filter((s) => roles.contentId && state.regions[s.id]).map((s) => ({ styleId: s.id, nodeIds: state.regions[s.id].nodeIds }));
      const initId = state.refine?.id;
      const images = await requestFromMain('export-requested', { runId, roles, contentSide: options.size, styleSide, regions, ...(initId && { initId }) }, 'images-exported', signal);
      const masks = await Promise.all(images.styles.map((image) => (image.region ? renderRegionMask(image.region, state.regions[image.id].feather) : undefined)));
      const presetPngs = await Promise.all(presets.map((p) => exportPresetPng(presetImages[p.id], styleSide)));
      return {
        runId,
        content: images.content?.png,
        ...(images.init && { init: images.init }),
        styles: [
          ...images.styles.map((image, i) => ({ png: image.png, weight: roles.styles[i].weight, ...(masks[i] ? { mask: masks[i] } : {}) })),
          ...presets.map((p, i) => ({ png: presetPngs[i], weight: p.weight })),
        ],
      };
    },
    async placeResult(result, { runId }, { roles, presets }, { state, startPlacing }) {
      const tiles = await cutIntoTiles(result);
      startPlacing();
      const named = presets.map((p) => ({ ...p, name: findStylePreset(p.id)?.title ?? p.id }));
      const placed = await requestFromMain('result-ready', { runId, roles, presets: named, settings: state.settings, width: result.width, height: result.height, tiles }, 'result-placed');
      const notes = placed.tiles > 1 ? [`${placed.tiles} tiles (above Figma’s 4096 px image limit).`] : [];
      // A refined result can be refined again: the next run starts from it.
      return { name: placed.name, notes, state: { lastResultId: placed.nodeId, ...(state.refine && { refine: { id: placed.nodeId, name: placed.name } }) } };
    },
    explainError: explainRunError,
  });
}
