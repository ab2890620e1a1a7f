import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createPhotopeaClient,
  exportDocumentScript,
  exportLayerScript,
  listLayersScript,
  PhotopeaReplyError,
  PhotopeaScriptError,
  PhotopeaTimeoutError,
} from '../src/index.ts';
import { defineTemplate } from '../src/scripts/PhotopeaScript.ts';
import { addTestDocument, connectInMemory } from './fake/connectInMemory.ts';

const decode = (buffer: ArrayBuffer) => JSON.parse(new TextDecoder().decode(buffer)) as string[];

describe('Photopea client (postMessage protocol, against the fake Photopea)', () => {
  it('reads the layers: flattened with group paths, eyes, what shows, bounds, the active layer', async () => {
    const { host, client } = connectInMemory();
    addTestDocument(host);
    const { value: doc } = await client.run(listLayersScript({}));
    assert.ok(doc);
    assert.deepEqual([doc.name, doc.width, doc.height], ['poster.psd', 200, 100]);
    assert.deepEqual(doc.active, { path: [3], name: 'Photo' });
    const starry = doc.layers.find((l) => l.name === 'Starry Night')!;
    assert.deepEqual(starry, { path: [1, 0], name: 'Starry Night', group: false, visible: true, shown: false, bounds: [100, 40, 160, 80], parents: ['Styles'] });
    assert.deepEqual(doc.layers.map((l) => l.name), ['Title', 'Styles', 'Starry Night', 'Unused', 'The Scream', 'Photo', 'Extras', 'Shown child', 'Hidden child', 'Background']);
    assert.equal(doc.layers.find((l) => l.name === 'Styles')!.group, true);
  });

  it('answers null when no document is open', async () => {
    const { client } = connectInMemory();
    assert.equal((await client.run(listLayersScript({}))).value, null);
  });

  it('sends one script at a time: the next only after the previous one\'s "done"', async () => {
    const { host, client } = connectInMemory();
    addTestDocument(host);
    let running = 0;
    let most = 0;
    const receive = host.receive.bind(host);
    host.receive = async (message) => {
      most = Math.max(most, ++running);
      await receive(message);
      running--;
    };
    const results = await Promise.all([
      client.run(exportLayerScript({ document: 'poster.psd', layer: { path: [3], name: 'Photo' } })),
      client.run(exportLayerScript({ document: 'poster.psd', layer: { path: [1, 0], name: 'Starry Night' } })),
      client.run(exportDocumentScript({ document: 'poster.psd' })),
    ]);
    assert.equal(most, 1);
    assert.deepEqual(decode(results[0].buffers[0]), ['Photo']);
    assert.deepEqual(decode(results[1].buffers[0]), ['Starry Night']);
    assert.deepEqual(decode(results[2].buffers[0]), ['Title', 'Photo', 'Shown child', 'Background'].reverse());
  });

  it('ignores stray "done"s, other strings and buffers that come before its script starts', async () => {
    const { host, client, sendFromPhotopea } = connectInMemory();
    addTestDocument(host);
    const pending = client.run(exportLayerScript({ document: 'poster.psd', layer: { path: [3], name: 'Photo' } }));
    sendFromPhotopea('done'); // Photopea's own "ready"
    sendFromPhotopea('MSFAPI#ping');
    sendFromPhotopea(new ArrayBuffer(3));
    sendFromPhotopea('pastiche:{"id":999,"ok":true,"value":null}');
    const { value, buffers } = await pending;
    assert.deepEqual(value.bounds, [20, 10, 140, 90]);
    assert.equal(buffers.length, 1);
    assert.deepEqual(decode(buffers[0]), ['Photo']);
  });

  it('waits for a buffer that arrives after "done"', async () => {
    const plugin = new EventTarget();
    const photopea = {
      postMessage(script: unknown) {
        const id = Number(/var __id = (\d+);/.exec(String(script))![1]);
        const send = (data: unknown, delay: number) => setTimeout(() => plugin.dispatchEvent(Object.assign(new Event('message'), { data, source: photopea })), delay);
        send(`pastiche:{"id":${id},"start":true}`, 1);
        send(`pastiche:{"id":${id},"ok":true,"value":{"width":4,"height":3}}`, 2);
        send('done', 3);
        send(new Uint8Array([1, 2, 3]).buffer, 20);
      },
    };
    const client = createPhotopeaClient({ target: photopea, events: plugin });
    const { value, buffers } = await client.run(exportDocumentScript({ document: 'x' }));
    assert.deepEqual(value, { width: 4, height: 3 });
    assert.deepEqual([...new Uint8Array(buffers[0])], [1, 2, 3]);
  });

  it('only counts messages whose source is the Photopea window', async () => {
    const { host, client, pluginWindow } = connectInMemory({ timeoutMs: 300 });
    addTestDocument(host);
    host.options.send = (data) => setTimeout(() => pluginWindow.dispatchEvent(Object.assign(new Event('message'), { data, source: {} })), 0);
    await assert.rejects(client.run(listLayersScript({})), PhotopeaTimeoutError);
  });

  it('times out with a clear error when Photopea never answers, not before, and goes on with the next script', async (t) => {
    const { host, client } = connectInMemory({ mode: 'silent', timeoutMs: 200 });
    addTestDocument(host);
    // Mocked timers: the check is of when the wait ends, not of how fast this machine is.
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let settled = false;
    const waiting = client.run(listLayersScript({}));
    waiting.catch(() => {}).finally(() => (settled = true));
    await new Promise(setImmediate); // the script is sent, and its clock started, once the queue reaches it
    t.mock.timers.tick(199);
    await new Promise(setImmediate);
    assert.equal(settled, false, 'still waiting 1 ms before the timeout');
    t.mock.timers.tick(1);
    await assert.rejects(waiting, (error: unknown) => {
      assert.ok(error instanceof PhotopeaTimeoutError);
      assert.equal(error.what, 'read the layers');
      assert.match(error.message, /^Photopea did not answer \(“read the layers”, 0\.2 s\)\. Is this panel open inside Photopea\?$/);
      return true;
    });
    t.mock.timers.reset();
    host.options.mode = 'normal';
    assert.equal((await client.run(listLayersScript({}))).value?.name, 'poster.psd');
  });

  it('rejects with the script\'s error when Photopea fails, after putting every eye back', async () => {
    const { host, client } = connectInMemory({ mode: 'fail-export' });
    const doc = addTestDocument(host);
    await assert.rejects(client.run(exportLayerScript({ document: 'poster.psd', layer: { path: [2], name: 'The Scream' } })), (error: unknown) => {
      assert.ok(error instanceof PhotopeaScriptError);
      assert.equal(error.code, 'script-error');
      assert.equal(error.what, 'export a layer');
      assert.equal(error.message, 'Photopea ran out of memory while exporting');
      return true;
    });
    assert.deepEqual(doc.layers.map((l) => l.visible), [true, false, false, true, true, true]);
  });

  it('says which layer moved when a path no longer leads to the named layer, and which document is active', async () => {
    const { host, client } = connectInMemory();
    addTestDocument(host);
    await assert.rejects(client.run(exportLayerScript({ document: 'poster.psd', layer: { path: [3], name: 'Photo 2' } })), { name: 'PhotopeaScriptError', code: 'layer-moved', message: 'The layer “Photo 2” is no longer where it was (moved, renamed or deleted).' });
    await assert.rejects(client.run(exportLayerScript({ document: 'other.psd', layer: { path: [3], name: 'Photo' } })), { code: 'document-changed', message: 'The active document is “poster.psd”, not “other.psd”.' });
  });

  it('keeps names data, never code: quotes, backslashes, line separators and script-like names round-trip', async () => {
    const { host, client } = connectInMemory();
    const doc = addTestDocument(host);
    const hostile = ['"); app.echoToOE("pwned"); ("', "\\'\\\\\n\u2028\u2029</script>", '${app.activeDocument.name}', '\u0000 zero'];
    hostile.forEach((name, i) => (doc.layers[i].name = name));
    const { value } = await client.run(listLayersScript({}));
    assert.deepEqual(value!.layers.filter((l) => l.parents.length === 0).slice(0, 4).map((l) => l.name), hostile);
    for (const [i, name] of hostile.entries()) {
      const { value: exported } = await client.run(exportLayerScript({ document: 'poster.psd', layer: { path: [i], name } }));
      assert.ok(exported.bounds);
    }
    assert.ok(!host.scripts.some((script) => script.includes('app.echoToOE("pwned")')), 'the name never appears unescaped in a script');
  });

  it('rejects an answer of the wrong shape, naming the part', async () => {
    const { host, client } = connectInMemory();
    addTestDocument(host);
    const broken = defineTemplate<Record<string, never>, unknown>({ what: 'a broken script', timeoutMs: 1000, body: 'return { layers: 3 };', read: (v) => listLayersScript({}).read(v) });
    await assert.rejects(client.run(broken({})), (error: unknown) => error instanceof PhotopeaReplyError && error.field === 'document.name' && /a broken script/.test(error.message));
  });
});
