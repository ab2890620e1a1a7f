import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PasticheInputError } from '@pastiche/core';
import { MainRequestError } from '../../src/ui/messaging/MainRequestError.ts';
import { explainRunError } from '../../src/ui/run/explainRunError.ts';

const context = { size: 1024, runnerUrl: 'http://127.0.0.1:7878', engine: 'in-page' as const };
const named = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name }, extra);

test('runner problems say what is wrong and what to do', () => {
  assert.deepEqual(explainRunError(named('RunnerUnreachableError', 'fetch failed'), context), {
    phase: 'failed',
    message: 'The runner is not reachable at 127.0.0.1:7878.',
    hint: 'Start it with `pastiche serve`, or choose In plugin.',
  });
  assert.match(explainRunError(named('RunnerNotPairedError', '401'), context).hint!, /Paste the token/);
  assert.match(explainRunError(named('RunnerBusyError', '429'), context).message, /busy/);
  assert.match(explainRunError(named('RunnerRequestError', 'too big', { field: 'options.size' }), context).message, /refused the job \(options\.size\): too big/);
});

test('running out of memory suggests a smaller preset or the runner', () => {
  const inPlugin = explainRunError(new Error('Failed to allocate texture: out of memory'), context);
  assert.equal(inPlugin.message, 'The plugin ran out of memory at 1024 px.');
  assert.match(inPlugin.hint!, /Preview preset or a smaller size, or paint on the runner/);
  const onRunner = explainRunError(named('RunnerJobError', 'OOM when allocating tensor', { code: 'out_of_memory' }), { ...context, engine: 'runner' });
  assert.equal(onRunner.message, 'The runner ran out of memory at 1024 px.');
  assert.match(explainRunError(new Error('WebGL context lost'), context).message, /ran out of memory/);
});

test('input errors name the setting; the main code’s messages pass through as they are', () => {
  const input = explainRunError(new PasticheInputError('options.styleLayers', 'layer block5_conv3 is not in these weights'), context);
  assert.equal(input.message, 'Setting options.styleLayers: layer block5_conv3 is not in these weights');
  assert.equal(explainRunError(new MainRequestError('node-missing', 'The content layer is gone.'), context).message, 'The content layer is gone.');
  const hostDown = explainRunError(named('WeightsLoadError', 'could not load the vgg16 weights (cdn.jsdelivr.net: https://cdn.jsdelivr.net/npm/x/vgg16/model.json: HTTP 503)'), context);
  assert.equal(hostDown.message, 'The model weights could not be downloaded: cdn.jsdelivr.net: https://cdn.jsdelivr.net/npm/x/vgg16/model.json: HTTP 503');
  assert.match(hostDown.hint!, /connection to cdn\.jsdelivr\.net.*npx pastiche serve/);
  const notPublished = explainRunError(named('WeightsLoadError', 'could not load the vgg16 weights (…: HTTP 404)', { problem: { kind: 'not-found', url: 'https://cdn.jsdelivr.net/npm/@pastiche/vgg-weights@1.0.0/vgg16/model.json' } }), context);
  assert.match(notPublished.message, /^The model weights are not published at cdn\.jsdelivr\.net yet/);
  assert.doesNotMatch(`${notPublished.message} ${notPublished.hint}`, /connection|HTTP 404/);
  assert.match(explainRunError(new Error('could not fetch model.json (404)'), context).message, /model weights could not be loaded/);
});
