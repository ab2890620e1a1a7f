import type { RunnerStatus } from '@pastiche/web-bridge';
import { nameResult } from '@pastiche/web-bridge/naming';
import { findStylePreset } from '@pastiche/web-bridge/presets';
import { chooseStylesToPaint, exportPresetPng, stylizeEach, stylizeInHost, textureSizeOf, type EngineProvider, type PresetImages, type Store } from '@pastiche/web-bridge/ui';
import type { PhotopeaClient } from '../client/createPhotopeaClient.ts';
import { encodeForPlacing } from '../document/encodeForPlacing.ts';
import { exportImage } from '../document/exportImage.ts';
import { exportRegionMask } from '../document/exportRegionMask.ts';
import { isOpaque } from '../document/isOpaque.ts';
import { placeResult } from '../document/placeResult.ts';
import type { Bounds, LayerRef } from '../document/types.ts';
import { findRunProblem } from '../ui/findRunProblem.ts';
import { PHOTOPEA_WORDS } from '../ui/photopeaWords.ts';
import type { PanelState } from '../ui/PanelState.ts';
import { refreshDocument } from '../ui/refreshDocument.ts';
import { explainRunError } from './explainRunError.ts';
import { RunProblem } from './RunProblem.ts';
import { withResultRecord } from '../results/resultRecords.ts';
import { findLayer } from '../ui/roles.ts';

export interface RunContext {
  store: Store<PanelState>;
  client: PhotopeaClient;
  engines: EngineProvider;
  /** Probes the runner now (its status decides where a run goes). */
  refreshRunner(): Promise<RunnerStatus>;
  signal: AbortSignal;
  presetImages: PresetImages;
}

/**
 * Stylize: each layer marked Content in turn (web-bridge's stylizeEach: one result layer each, the styles'
 * targets computed once); with no content, a seamless texture from the styles alone (findRunProblem allows it
 * only with Pattern on).
 */
export function runStylize(context: RunContext): Promise<void> {
  const { roles, refine } = context.store.get();
  // Refine starts the content again from the result: the other contents of a batch have no result to start from.
  const contents = [roles.content, ...(refine ? [] : (roles.moreContents ?? []))];
  const names = contents.map((c) => (c === 'document' ? 'the document' : c === null ? 'the texture' : c.name));
  return stylizeEach(context.store, names, context.signal, (i) => runOne(context, i === 0 ? undefined : roles.moreContents![i - 1]));
}

/**
 * One Stylize (web-bridge's stylizeInHost) with Photopea's parts: read the layers again, export the content,
 * each style alone and each style's region (a mask over the content), and once painted add the result as a
 * layer above the content. Nothing is left in the document before the painting exists (a region's
 * temporary layer is removed at once), so a failed or cancelled run leaves it as it was.
 */
function runOne({ store, client, engines, refreshRunner, signal, presetImages }: RunContext, another: LayerRef | undefined): Promise<void> {
  const label = (ref: LayerRef | null) => (ref ? `“${ref.name}”` : 'The document');
  return stylizeInHost({
    store,
    engines,
    refreshRunner,
    signal,
    words: PHOTOPEA_WORDS,
    findProblem: findRunProblem,
    textureSize: (state) => (state.roles.content === null ? textureSizeOf(state) : undefined),
    async readInputs({ setRun, texture, state }) {
      setRun({ phase: 'preparing', step: 'Reading the layers…' });
      const doc = await refreshDocument(store, client);
      if (!doc) throw new RunProblem('No document is open in Photopea.', 'Open an image in Photopea first.');
      const { roles, presets: chosenPresets } = store.get();
      // Another content of a batch is found again by name where the layers moved (reconcileRoles).
      const more = another && roles.moreContents?.find((c) => c.name === another.name);
      if (another && !more) throw new RunProblem(`The layer “${another.name}” is gone from the document.`, 'Mark the contents again.');
      const content = more ?? (roles.content === 'document' ? null : roles.content);
      if (!roles.content && !texture) throw new RunProblem('The content layer is gone from the document.', 'Choose the content again.');
      // Layers and presets blend as one list of styles (a single one takes the whole style term).
      const chosen = chooseStylesToPaint([...roles.styles.map((style) => ({ weight: style.weight, style })), ...chosenPresets.map((p) => ({ weight: p.weight, preset: findStylePreset(p.id)! }))]);
      if (chosen.length === 0) throw new RunProblem('The style layers are gone from the document.', 'Choose the styles again.');
      const styles = chosen.flatMap((c) => ('style' in c ? [{ ...c.style, weight: c.weight }] : []));
      const presets = chosen.flatMap((c) => ('preset' in c ? [{ preset: c.preset, weight: c.weight }] : []));
      const refine = state.refine && !another && !texture ? findLayer(doc, state.refine) : undefined;
      if (state.refine && !another && !texture && !refine) throw new RunProblem(`The result “${state.refine.name}” is gone from the document.`, 'Start from the content, or select the result and Refine it again.');
      return { doc, content, styles, presets, refine };
    },
    async exportImages({ doc, content, styles, presets, refine }, { options, styleSide, setRun, texture }) {
      // A texture has no content to export: the run makes its canvas; the layer goes at the document's top left, at its own size.
      if (!texture) setRun({ phase: 'preparing', step: `Exporting ${content ? `“${content.name}”` : 'the document'}…` });
      const contentImage = texture ? { png: undefined, region: [0, 0, texture.width, texture.height] as Bounds } : await exportImage(client, doc, content, options.size, label(content));
      const styleImages = [];
      for (const style of styles) {
        signal.throwIfAborted();
        setRun({ phase: 'preparing', step: `Exporting “${style.name}”…` });
        styleImages.push(await exportImage(client, doc, style, styleSide, label(style)));
      }
      const masks: Array<Uint8Array | undefined> = [];
      for (const style of styles) {
        signal.throwIfAborted();
        if (style.region) setRun({ phase: 'preparing', step: `Exporting the region of “${style.name}”…` });
        masks.push(style.region ? await exportRegionMask(client, doc, style.region, contentImage.region, options.size, label(style)) : undefined);
      }
      const presetPngs = await Promise.all(presets.map(({ preset }) => exportPresetPng(presetImages[preset.id], styleSide)));
      // Refine: the result's pixels where the content lies, at the content's size (it was placed on the content's bounds).
      if (refine) setRun({ phase: 'preparing', step: `Exporting “${refine.name}”…` });
      const init = refine && (await exportImage(client, doc, refine, options.size, label(refine), contentImage.region)).png;
      signal.throwIfAborted();
      return {
        content: contentImage.png,
        ...(init && { init }),
        region: contentImage.region,
        styles: [
          ...styleImages.map((image, i) => ({ png: image.png, weight: styles[i].weight, ...(masks[i] ? { mask: masks[i] } : {}) })),
          ...presets.map(({ weight }, i) => ({ png: presetPngs[i], weight })),
        ],
      };
    },
    async placeResult(result, images, { doc, content, styles, presets }, { startPlacing, texture, state }) {
      startPlacing(result.png);
      const image = await encodeForPlacing(result.png, await isOpaque(result.png));
      const name = nameResult(texture ? 'Texture' : (content?.name ?? doc.name), [...styles.map((s) => ({ name: s.name, weight: s.weight })), ...presets.map((p) => ({ name: p.preset.title, weight: p.weight }))]);
      const placed = await placeResult(client, { document: doc.name, anchor: content, url: image.url, name, bounds: images.region });
      const notes = [image.note, placed.selectionCleared ? 'Your selection was cleared: Photopea moves only the selected pixels of a layer otherwise.' : undefined].filter((n): n is string => Boolean(n));
      // The result remembers how it was made (Refine brings it back); a refined result can be refined again.
      const { moreContents: _batch, ...roles } = state.roles;
      const record = { document: doc.name, layer: name, settings: { preset: state.settings.preset, advanced: state.settings.advanced }, roles: { ...roles, content: another ?? roles.content }, presets: state.presets };
      return { name, notes, state: { results: withResultRecord(store.get().results, record), ...(state.refine && { refine: placed.layer }) } };
    },
    explainError: explainRunError,
    afterDone: () => refreshDocument(store, client).then(() => {}, () => {}), // the list shows the new layer
    async afterFailure(error) {
      if ((error as { code?: string }).code === 'layer-moved') await refreshDocument(store, client).catch(() => {});
    },
  });
}
