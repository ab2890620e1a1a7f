import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportLayerScript, exportSelectionScript, finishPlacingScript, listLayersScript, placeImageScript, type PlacingOutcome } from '../src/index.ts';
import { describeDocument, type FakeEvent } from './fake/fakePhotopea.ts';
import { addTestDocument, connectInMemory } from './fake/connectInMemory.ts';

const shownAtExport = (events: FakeEvent[]) => events.flatMap((e) => (e.type === 'export' ? [e.shown] : []));

describe('document scripts (against the fake Photopea)', () => {
  it('exports a hidden layer inside a hidden group alone, and leaves the document exactly as it was', async () => {
    const { host, client } = connectInMemory();
    const doc = addTestDocument(host);
    const before = describeDocument(doc);
    const { value } = await client.run(exportLayerScript({ document: 'poster.psd', layer: { path: [1, 0], name: 'Starry Night' } }));
    assert.deepEqual(value.bounds, [100, 40, 160, 80]);
    assert.deepEqual(shownAtExport(doc.events), [['Starry Night']]);
    assert.deepEqual(describeDocument(doc), before);
    // Only the eyes that had to change were touched: the group's own, the shown siblings at each level; then put back.
    const touched = doc.events.flatMap((e) => (e.type === 'visible' ? [`${e.layer}=${e.visible}`] : []));
    assert.deepEqual(touched, ['Title=false', 'Photo=false', 'Extras=false', 'Background=false', 'Styles=true', 'Unused=false', 'Unused=true', 'Styles=false', 'Background=true', 'Extras=true', 'Photo=true', 'Title=true']);
    assert.ok(!doc.events.some((e) => e.type === 'active'), 'the active layer is never changed');
  });

  it('exports the selection as a white layer shown alone, then removes that layer and puts every eye, the active layer and the selection back', async () => {
    const { host, client } = connectInMemory();
    const doc = addTestDocument(host);
    const selected = [20, 10, 80, 90].map((value) => ({ value }));
    doc.selection.bounds = selected;
    const before = describeDocument(doc);
    const exported: unknown[] = [];
    host.options.render = async (picture) => {
      exported.push(picture.layers.map((l) => ({ name: l.name, rect: l.rect, white: [...l.raster.data.slice(((10 * 200) + 20) * 4, ((10 * 200) + 20) * 4 + 4)], clear: l.raster.data[((10 * 200) + 19) * 4 + 3] })));
      return new ArrayBuffer(8);
    };
    const { value } = await client.run(exportSelectionScript({ document: 'poster.psd' }));
    assert.deepEqual(value, { width: 200, height: 100 });
    assert.deepEqual(exported, [[{ name: 'Layer 11', rect: { left: 0, top: 0, width: 200, height: 100 }, white: [255, 255, 255, 255], clear: 0 }]], 'only the new layer shows: white inside the selection, transparent outside');
    assert.deepEqual(describeDocument(doc), before, 'the temporary layer is gone, every eye and the active layer as they were');
    assert.equal(doc.selection.bounds, selected, 'the selection is kept');

    doc.selection.bounds = null;
    await assert.rejects(client.run(exportSelectionScript({ document: 'poster.psd' })), { code: 'no-selection', message: /Nothing is selected in Photopea/ });
    assert.deepEqual(describeDocument(doc), before);
  });

  it('exports a group with its contents as they are (a hidden child stays hidden)', async () => {
    const { host, client } = connectInMemory();
    const doc = addTestDocument(host);
    const before = describeDocument(doc);
    await client.run(exportLayerScript({ document: 'poster.psd', layer: { path: [4], name: 'Extras' } }));
    assert.deepEqual(shownAtExport(doc.events), [['Shown child']]);
    assert.deepEqual(describeDocument(doc), before);
  });

  /** Places an image the way the plugin does: start, then ask until it is in. */
  async function place(client: ReturnType<typeof connectInMemory>['client'], args: { anchor: { path: number[]; name: string } | null; url: string; name: string; bounds: [number, number, number, number] }) {
    const { value: start } = await client.run(placeImageScript({ document: 'poster.psd', anchor: args.anchor, url: args.url }));
    const answers: PlacingOutcome[] = [];
    for (let i = 0; i < 100; i++) {
      const { value } = await client.run(finishPlacingScript({ document: 'poster.psd', start, anchor: args.anchor, name: args.name, bounds: args.bounds }));
      answers.push(value);
      if (value.placed) return answers;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('never placed');
  }

  it('adds an image as a new layer right above the content, at its bounds, named, with the active layer put back', async () => {
    const { host, client } = connectInMemory({ placeDelayMs: 40 });
    const doc = addTestDocument(host);
    doc.activeLayer = doc.layers[0]; // the user works on "Title"
    const before = describeDocument(doc);
    const answers = await place(client, { anchor: { path: [3], name: 'Photo' }, url: 'data:test,48,32', name: 'Pastiche — Photo × Starry Night', bounds: [20, 10, 140, 90] });
    assert.equal(answers[0].placed, false, 'the image arrives after "done"');
    const last = answers.at(-1)!;
    assert.deepEqual(last, { placed: true, layer: { path: [3], name: 'Pastiche — Photo × Starry Night' }, bounds: [20, 10, 140, 90], selectionCleared: false });
    const after = describeDocument(doc);
    assert.deepEqual(after.layers[3], { name: 'Pastiche — Photo × Starry Night', typename: 'ArtLayer', visible: true, bounds: [20, 10, 140, 90], pixels: '48x32:619b7dc5' }); // the 48 × 32 image it was given, scaled onto the photo
    assert.equal(after.active?.join(), '0', 'Title is active again');
    assert.deepEqual({ ...after, layers: after.layers.filter((_, i) => i !== 3) }, before, 'every other layer as it was');
  });

  it('adds a layer inside the content\'s group, and at the top for the whole document', async () => {
    const { host, client } = connectInMemory();
    const doc = addTestDocument(host);
    await place(client, { anchor: { path: [4, 1], name: 'Hidden child' }, url: 'data:test,10,10', name: 'In group', bounds: [20, 20, 30, 30] });
    assert.deepEqual(doc.layers[4].layers!.map((l) => l.name), ['Shown child', 'In group', 'Hidden child']);
    await place(client, { anchor: null, url: 'data:test,100,50', name: 'Whole', bounds: [0, 0, 200, 100] });
    assert.equal(doc.layers[0].name, 'Whole');
    assert.deepEqual(doc.layers[0].box(), [0, 0, 200, 100]);
    assert.equal(doc.activeLayer?.name, 'Photo', 'the layer active before is active again (now one lower)');
    assert.deepEqual(doc.pathOf(doc.activeLayer), [4]);
  });

  it('drops an active selection before moving the layer, and says so', async () => {
    const { host, client } = connectInMemory();
    const doc = addTestDocument(host);
    doc.selection.bounds = [0, 0, 10, 10].map((value) => ({ value }));
    const answers = await place(client, { anchor: { path: [3], name: 'Photo' }, url: 'data:test,12,8', name: 'R', bounds: [20, 10, 140, 90] });
    assert.equal((answers.at(-1) as { selectionCleared: boolean }).selectionCleared, true);
  });

  it('reads back the new layer in the list', async () => {
    const { host, client } = connectInMemory();
    addTestDocument(host);
    await place(client, { anchor: { path: [3], name: 'Photo' }, url: 'data:test,12,8', name: 'Result', bounds: [20, 10, 140, 90] });
    const { value } = await client.run(listLayersScript({}));
    assert.deepEqual(value!.layers.filter((l) => l.parents.length === 0).map((l) => l.name), ['Title', 'Styles', 'The Scream', 'Result', 'Photo', 'Extras', 'Background']);
  });
});
