// The UI's wait for the main code, in Node with the two browser globals it uses stood in for.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

const sent: unknown[] = [];
let requestFromMain: typeof import('../../src/ui/messaging/requestFromMain.ts').requestFromMain;

before(async () => {
  Object.assign(globalThis, { window: new EventTarget(), parent: { postMessage: (message: unknown) => sent.push(message) } });
  ({ requestFromMain } = await import('../../src/ui/messaging/requestFromMain.ts'));
});

const fromMain = (pluginMessage: unknown) => (globalThis as unknown as { window: EventTarget }).window.dispatchEvent(new MessageEvent('message', { data: { pluginMessage } }));
const roles = { contentId: '1:1', styles: [{ id: '1:2', weight: 1 }] };

test('an answer that breaks its schema fails the request at once, saying so', async () => {
  const waiting = requestFromMain('export-requested', { runId: 7, roles, contentSide: 64, styleSide: 64, regions: [] }, 'images-exported');
  fromMain({ name: 'images-exported', payload: { runId: 7, content: { id: '1:1', name: 'Photo', png: 'not bytes' }, styles: [] } });
  await assert.rejects(waiting, (error: Error & { code?: string }) => {
    assert.equal(error.name, 'MainRequestError');
    assert.equal(error.code, 'bad-message');
    assert.match(error.message, /sent an answer this panel cannot read \(.*\)/);
    return true;
  });
});

test('no answer at all ends in a clear error when the timeout passes, not before', async (t) => {
  // Mocked timers: the clock is the test's, so the check is of when it fails, not of how fast this machine is.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let settled = false;
  const waiting = requestFromMain('export-requested', { runId: 8, roles, contentSide: 64, styleSide: 64, regions: [] }, 'images-exported', undefined, 5000);
  waiting.catch(() => {}).finally(() => (settled = true));
  t.mock.timers.tick(4999);
  await new Promise(setImmediate);
  assert.equal(settled, false, 'still waiting 1 ms before the timeout');
  t.mock.timers.tick(1);
  await assert.rejects(waiting, /Figma did not answer within 5 s/);
});

test('the right answer still resolves', async () => {
  const waiting = requestFromMain('result-ready', { runId: 9, roles, settings: (await import('../../src/settings/defaultSettings.ts')).DEFAULT_SETTINGS, width: 1, height: 1, tiles: [] } as never, 'result-placed');
  fromMain({ name: 'result-placed', payload: { runId: 9, nodeId: '1:9', name: 'Result', tiles: 1 } });
  assert.deepEqual(await waiting, { runId: 9, nodeId: '1:9', name: 'Result', tiles: 1 });
});
