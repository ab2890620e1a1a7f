import type { RunnerStatus } from '@pastiche/web-bridge';
import { chooseStylesToPaint, exportPresetPng, stylizeInHost, type EngineProvider, type PresetImages, type Store } from '@pastiche/web-bridge/ui';
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
 * One Stylize (web-bridge's stylizeInHost) with Figma's parts: the main code exports the layers and each
 * style's region (rendered here into a mask), and places the result once it exists, in tiles above Figma's
 * image size limit. Nothing is sent for placing until the result exists, so a failed or cancelled run
 * leaves the document as it was. Ends in done, failed or cancelled.
 */
export function runStylize({ store, engines, refreshRunner, signal, presetImages }: RunContext): Promise<void> {
  return stylizeInHost({
    store,
    engines,
    refreshRunner,
    signal,
    words: FIGMA_WORDS,
    findProblem: findRunProblem,
    readInputs: ({ state }) => {
      // Layers and presets blend as one list of styles (a single one takes the whole style term).
      const chosen = chooseStylesToPaint([...state.roles.styles.map((style) => ({ weight: style.weight, style })), ...state.presets.map((preset) => ({ weight: preset.weight, preset }))]);
      return {
        roles: { contentId: state.roles.contentId!, styles: chosen.flatMap((c) => ('style' in c ? [{ id: c.style.id, weight: c.weight }] : [])) },
        presets: chosen.flatMap((c) => ('preset' in c ? [{ id: c.preset.id, weight: c.weight }] : [])),
      };
    },
    async exportImages({ roles, presets }, { state, options, styleSide, setRun }) {
      setRun({ phase: 'preparing', step: 'Exporting layers…' });
      const runId = nextRunId();
      const regions = roles.styles.filter((s) => state.regions[s.id]).map((s) => ({ styleId: s.id, nodeIds: state.regions[s.id].nodeIds }));
      const images = await requestFromMain('export-requested', { runId, roles, contentSide: options.size, styleSide, regions }, 'images-exported', signal);
      const masks = await Promise.all(images.styles.map((image) => (image.region ? renderRegionMask(image.region, state.regions[image.id].feather) : undefined)));
      const presetPngs = await Promise.all(presets.map((p) => exportPresetPng(presetImages[p.id], styleSide)));
      return {
        runId,
        content: images.content.png,
        styles: [
          ...images.styles.map((image, i) => ({ png: image.png, weight: roles.styles[i].weight, ...(masks[i] ? { mask: masks[i] } : {}) })),
          ...presets.map((p, i) => ({ png: presetPngs[i], weight: p.weight })),
        ],
      };
    },
    async placeResult(result, { runId }, { roles }, { state, startPlacing }) {
      const tiles = await cutIntoTiles(result);
      startPlacing();
      const placed = await requestFromMain('result-ready', { runId, roles, settings: state.settings, width: result.width, height: result.height, tiles }, 'result-placed');
      return { name: placed.name, notes: placed.tiles > 1 ? [`${placed.tiles} tiles (above Figma’s 4096 px image limit).`] : [], state: { lastResultId: placed.nodeId } };
    },
    explainError: explainRunError,
  });
}
