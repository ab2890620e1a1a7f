import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { json, readJobEvents, SHALLOW, startTestRunner, type TestRunner } from './helpers/runner.ts';
import { weightsPath } from '../helpers/paths.ts';

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner({ heartbeatSeconds: 0.05 });
});
after(() => runner?.close());

describe('pastiche serve: a job from submission to result, with the real weights', () => {
  test('health needs no token and says what the runner offers', async () => {
    const health = await json(await runner.api('/v1/health', { token: null }));
    assert.equal(health.name, 'pastiche');
    assert.equal(health.backend, 'wasm');
    assert.equal(health.gpu, false);
    assert.deepEqual(health.models, ['vgg16']);
    assert.equal(health.limits.maxSide, 8192);
    assert.equal(health.limits.queueCap, 8);
    assert.deepEqual(health.queue, { queued: 0, running: 0, kept: 0 });
    // The engine timed one evaluation of the default objective at start, through the layers its weights have
    // (blocks 1–3 here): clients price a schedule with it.
    assert.equal(health.calibration.model, 'vgg16');
    assert.equal(health.calibration.throughLayer, 'block3_conv3');
    assert.ok(health.calibration.msPerPixel > 0, JSON.stringify(health.calibration));
  });

  test('submit, follow the event stream to done, fetch a PNG of the requested size', async () => {
    const submitted = await runner.submit({ options: { ...SHALLOW, size: 40, evaluations: 6 }, preview: { every: 2, maxSide: 16 } });
    assert.equal(submitted.status, 202);
    const accepted = await json(submitted);
    assert.match(accepted.id, /^[0-9a-f-]{36}$/);
    assert.ok(['queued', 'running'].includes(accepted.status));
    assert.equal(submitted.headers.get('location'), `/v1/jobs/${accepted.id}`);
    assert.equal(accepted.seed, 1);

    const { events, comments } = await readJobEvents(runner, accepted.id);
    assert.ok(comments.includes('heartbeat'), 'heartbeat comments keep the stream alive');
    const types = events.map((e) => e.event);
    assert.equal(types.at(-1), 'done', `events: ${types.join(', ')}`);
    assert.ok(types.includes('started'));
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data);
    assert.ok(progress.length >= 1);
    const last = progress.at(-1);
    assert.equal(last.totalEvaluations, 6);
    assert.equal(last.width, 40);
    assert.equal(last.height, 30);
    for (const key of ['total', 'content', 'style', 'tv']) assert.equal(typeof last.loss[key], 'number');
    assert.ok(last.elapsedMs > 0 && last.etaMs >= 0);
    const previews = events.filter((e) => e.event === 'preview').map((e) => e.data);
    assert.ok(previews.length >= 1, 'a preview every 2 evaluations');
    const preview = await sharp(Buffer.from(previews[0].image.replace(/^data:image\/png;base64,/, ''), 'base64')).metadata();
    assert.equal(preview.format, 'png');
    assert.ok(Math.max(preview.width!, preview.height!) <= 16);
    const done = events.at(-1)!.data;
    assert.deepEqual([done.result.width, done.result.height], [40, 30]);

    const result = await runner.api(`/v1/jobs/${accepted.id}/result`);
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await result.arrayBuffer());
    assert.equal(bytes.length, done.result.bytes);
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 40, 30]);

    const status = await json(await runner.api(`/v1/jobs/${accepted.id}`));
    assert.equal(status.status, 'succeeded');
    assert.equal(status.queuePosition, null);
    assert.equal(status.error, null);
    assert.deepEqual(status.result, { width: 40, height: 30, bytes: bytes.length });
    assert.ok(Date.parse(status.createdAt) <= Date.parse(status.startedAt) && Date.parse(status.startedAt) <= Date.parse(status.finishedAt));
    assert.equal(status.progress.totalEvaluation, last.totalEvaluation);
  });

  test('a late subscriber gets the finished state at once, and the stream ends', async () => {
    const { id } = await json(await runner.submit());
    await readJobEvents(runner, id);
    const late = await readJobEvents(runner, id, { viaQuery: true });
    assert.deepEqual(late.events.map((e) => e.event), ['done']);
  });

  test('a subscriber that hangs up mid-job disturbs nothing', async () => {
    const { id } = await json(await runner.submit({ options: { ...SHALLOW, evaluations: 8 } }));
    const controller = new AbortController();
    const response = await runner.api(`/v1/jobs/${id}/events`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read(); // the first event is in
    controller.abort();
    const { events } = await readJobEvents(runner, id); // a second subscriber sees the job through
    assert.equal(events.at(-1)!.event, 'done');
    assert.equal((await runner.api('/v1/health')).status, 200);
  });

  test('serves the weights in TensorFlow.js layers format', async () => {
    const modelJson = await json(await runner.api('/v1/models/vgg16/model.json'));
    assert.equal(modelJson.format, 'layers-model');
    const onDisk = JSON.parse(await readFile(path.join(weightsPath, 'model.json'), 'utf8'));
    assert.deepEqual(modelJson.weightsManifest, onDisk.weightsManifest);
    const shard = modelJson.weightsManifest[1].paths[0];
    const served = Buffer.from(await (await runner.api(`/v1/models/vgg16/${shard}`)).arrayBuffer());
    assert.ok(served.equals(await readFile(path.join(weightsPath, shard))));
    assert.equal((await runner.api('/v1/models/vgg16/nope.bin')).status, 404);
    assert.equal((await runner.api('/v1/models/vgg19/model.json')).status, 404);
  });
});
