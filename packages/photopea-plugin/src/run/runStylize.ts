import type { RunnerStatus } from '@pastiche/web-bridge';
import { nameResult } from '@pastiche/web-bridge/naming';
import { chooseStylesToPaint, stylizeInHost, type EngineProvider, type Store } from '@pastiche/web-bridge/ui';
import type { PhotopeaClient } from '../client/createPhotopeaClient.ts';
import { applyContentAlpha } from '../document/applyContentAlpha.ts';
import { encodeForPlacing } from '../document/encodeForPlacing.ts';
import { exportImage } from '../document/exportImage.ts';
import { exportRegionMask } from '../document/exportRegionMask.ts';
import { placeResult } from '../document/placeResult.ts';
import type { LayerRef } from '../document/types.ts';
import { findRunProblem } from '../ui/findRunProblem.ts';
import { PHOTOPEA_WORDS } from '../ui/photopeaWords.ts';
import type { PanelState } from '../ui/PanelState.ts';
import { refreshDocument } from '../ui/refreshDocument.ts';
import { explainRunError } from './explainRunError.ts';
import { RunProblem } from './RunProblem.ts';

export interface RunContext {
  store: Store<PanelState>;
  client: PhotopeaClient;
  engines: EngineProvider;
  /** Probes the runner now (its status decides where a run goes). */
  refreshRunner(): Promise<RunnerStatus>;
  signal: AbortSignal;
}

/**
 * One Stylize (web-bridge's stylizeInHost) with Photopea's parts: read the layers again, export the content,
 * each style alone and each style's region (a mask over the content), and once painted add the result as a
 * layer above the content. Nothing is left in the document before the painting exists (a region's
 * temporary layer is removed at once), so a failed or cancelled run leaves it as it was.
 */
export function runStylize({ store, client, engines, refreshRunner, signal }: RunContext): Promise<void> {
  const label = (ref: LayerRef | null) => (ref ? `“${ref.name}”` : 'The document');
  return stylizeInHost({
    store,
    engines,
    refreshRunner,
    signal,
    words: PHOTOPEA_WORDS,
    findProblem: findRunProblem,
    async readInputs({ setRun }) {
      setRun({ phase: 'preparing', step: 'Reading the layers…' });
      const doc = await refreshDocument(store, client);
      if (!doc) throw new RunProblem('No document is open in Photopea.', 'Open an image in Photopea first.');
      const { roles } = store.get();
      const content = roles.content === 'document' ? null : roles.content;
      if (!roles.content) throw new RunProblem('The content layer is gone from the document.', 'Choose the content again.');
      const styles = chooseStylesToPaint(roles.styles);
      if (styles.length === 0) throw new RunProblem('The style layers are gone from the document.', 'Choose the styles again.');
      return { doc, content, styles };
    },
    async exportImages({ doc, content, styles }, { options, styleSide, setRun }) {
      setRun({ phase: 'preparing', step: `Exporting ${content ? `“${content.name}”` : 'the document'}…` });
      const contentImage = await exportImage(client, doc, content, options.size, label(content));
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
      signal.throwIfAborted();
      return {
        content: contentImage.png,
        region: contentImage.region,
        styles: styleImages.map((image, i) => ({ png: image.png, weight: styles[i].weight, ...(masks[i] ? { mask: masks[i] } : {}) })),
      };
    },
    async placeResult(result, images, { doc, content, styles }, { startPlacing }) {
      startPlacing(result.png);
      const painted = await applyContentAlpha(result.png, images.content);
      const image = await encodeForPlacing(painted.png, painted.opaque);
      const name = nameResult(content?.name ?? doc.name, styles.map((s) => ({ name: s.name, weight: s.weight })));
      const placed = await placeResult(client, { document: doc.name, anchor: content, url: image.url, name, bounds: images.region });
      const notes = [image.note, placed.selectionCleared ? 'Your selection was cleared: Photopea moves only the selected pixels of a layer otherwise.' : undefined].filter((n): n is string => Boolean(n));
      return { name, notes };
    },
    explainError: explainRunError,
    afterDone: () => refreshDocument(store, client).then(() => {}, () => {}), // the list shows the new layer
    async afterFailure(error) {
      if ((error as { code?: string }).code === 'layer-moved') await refreshDocument(store, client).catch(() => {});
    },
  });
}
