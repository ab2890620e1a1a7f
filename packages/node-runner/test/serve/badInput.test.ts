import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';
import { fixtures, json, readJobEvents, SHALLOW, startTestRunner, type TestRunner } from './helpers/runner.ts';
import { gradientPng } from '../helpers/images.ts';

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner({ maxBodyMb: 0.2, maxSide: 256, maxPixels: 200 * 200, maxStyles: 2, maxEvaluations: 20 });
});
after(() => runner?.close());

/** A body with a hand-written header, for what encodeJobEnvelope would never produce. */
function rawEnvelope(headerText: string, ...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const header = new TextEncoder().encode(headerText);
  const out = new Uint8Array(4 + header.length + parts.reduce((n, p) => n + p.length, 0));
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  let offset = 4 + header.length;
  for (const p of parts) out.set(p, (offset += p.length) - p.length);
  return out;
}

const post = (body: Uint8Array<ArrayBuffer> | string, contentType = JOB_CONTENT_TYPE) =>
  runner.api('/v1/jobs', { method: 'POST', body, headers: { 'content-type': contentType } });

async function expectError(response: Response, status: number, field: string | undefined, message: RegExp) {
  const body = await json(response);
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.statusCode, status);
  assert.equal(body.field, field, JSON.stringify(body));
  assert.match(body.error, message);
  return body;
}

describe('pastiche serve: bad input is a 4xx naming the field, and the server keeps serving', () => {
  test('413 for a body over --max-body-mb, naming the limit', async () => {
    const body = await expectError(await post(new Uint8Array(300 * 1024)), 413, 'body', /larger than 0\.2 MB/);
    assert.deepEqual(body.limit, { name: 'maxBodyMb', flag: '--max-body-mb', value: 0.2 });
  });

  test('400 for garbage bytes and a truncated PNG, naming the image', async () => {
    const { content, style } = await fixtures();
    await expectError(await runner.submit({ content: new TextEncoder().encode('definitely not an image at all') }), 400, 'content', /not an image/);
    const truncated = content.subarray(0, Math.floor(content.length * 0.6));
    await expectError(await runner.submit({ styles: [{ image: style }, { image: truncated }] }), 400, 'styles[1]', /truncated|corrupt|decode/i);
  });

  test('400 for invalid options: unknown option, wrong type, NaN and negative weights', async () => {
    await expectError(await runner.submit({ options: { ...SHALLOW, sharpness: 3 } as never }), 400, 'options.sharpness', /unknown option; known options: size, model/);
    await expectError(await runner.submit({ options: { ...SHALLOW, size: 'big' } as never }), 400, 'options.size', /expected an integer from 16 to 8192, got "big"/);
    await expectError(await runner.submit({ options: { ...SHALLOW, styleWeight: -1 } }), 400, 'options.styleWeight', /expected a number from 0/);
    const { style } = await fixtures();
    // JSON has no NaN: JSON.stringify sends null, and a literal NaN is not JSON at all.
    await expectError(await runner.submit({ styles: [{ image: style, weight: NaN }] }), 400, 'styles[0].weight', /expected a number from 0 to 1000000000000, got null/);
    const { content } = await fixtures();
    const literalNaN = `{"content":{"bytes":${content.length}},"styles":[{"weight":NaN,"bytes":${style.length}}]}`;
    await expectError(await post(rawEnvelope(literalNaN, content, style)), 400, 'header', /not valid UTF-8 JSON/);
    const deep = `{"options":{"styleLayers":${'['.repeat(5000)}${']'.repeat(5000)}},"content":{"bytes":${content.length}},"styles":[{"bytes":${style.length}}]}`;
    await expectError(await post(rawEnvelope(deep, content, style)), 400, 'options.styleLayers[0]', /got an array of 1$/);
    const long = `{"options":{"model":"${'x'.repeat(60_000)}"},"content":{"bytes":${content.length}},"styles":[{"bytes":${style.length}}]}`;
    await expectError(await post(rawEnvelope(long, content, style)), 400, 'options.model', /got "x{78}…$/);
    await expectError(await runner.submit({ styles: [{ image: style, weight: 0 }] }), 400, 'styles', /at least one style weight must be above 0/);
  });

  test('400 for broken framing and unknown header fields; 415 for other content types', async () => {
    const { content, style } = await fixtures();
    await expectError(await post(new Uint8Array([1, 2])), 400, 'body', /4-byte little-endian header length/);
    await expectError(await post(rawEnvelope('{"content":')), 400, 'header', /not valid UTF-8 JSON/);
    await expectError(
      await post(rawEnvelope(`{"content":{"bytes":${content.length}},"styles":[{"bytes":${style.length + 5}}]}`, content, style)),
      400,
      'body',
      /announces \d+ image bytes .* but \d+ follow/,
    );
    await expectError(await post(rawEnvelope(`{"content":{"bytes":"x"},"styles":[{"bytes":1}]}`, content)), 400, 'content.bytes', /byte length/);
    await expectError(
      await post(rawEnvelope(`{"content":{"bytes":${content.length}},"styles":[{"bytes":${style.length}}],"priority":9}`, content, style)),
      400,
      'priority',
      /unknown field/,
    );
    await expectError(await post('{"options":{}}', 'application/json'), 415, 'content-type', /application\/vnd\.pastiche\.job/);
  });

  test('a layer the weights lack is refused at submission, naming the layers present', async () => {
    await expectError(await runner.submit({ options: { ...SHALLOW, styleLayers: ['block5_conv3'] } }), 400, 'options.styleLayers', /lack layer "block5_conv3"; layers present: block1_conv1/);
    await expectError(await runner.submit({ options: { ...SHALLOW, model: 'vgg19' } }), 400, 'options.model', /no vgg19 weights; available: vgg16/);
  });

  test('422 for the limits: styles, result side, style scale, evaluations, image side and pixels', async () => {
    const { style } = await fixtures();
    const cases: Array<[Promise<Response>, string, string, number]> = [
      [runner.submit({ styles: [{ image: style }, { image: style }, { image: style }] }), 'styles', 'maxStyles', 2],
      [runner.submit({ options: { ...SHALLOW, size: 300 } }), 'options.size', 'maxSide', 256],
      [runner.submit({ options: { ...SHALLOW, size: 200, styleScale: 2 } }), 'options.styleScale', 'maxSide', 256],
      [runner.submit({ options: { ...SHALLOW, evaluations: [15, 10], scales: 2 } }), 'options.evaluations', 'maxEvaluations', 20],
      [runner.submit({ content: await gradientPng(300, 20) }), 'content', 'maxSide', 256],
      [runner.submit({ styles: [{ image: await gradientPng(210, 200) }] }), 'styles[0]', 'maxPixels', 40000],
    ];
    for (const [response, field, limit, value] of cases) {
      const body = await expectError(await response, 422, field, new RegExp(`limit --${limit.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${value}`));
      assert.equal(body.limit.name, limit);
      assert.equal(body.limit.value, value);
    }
  });

  test('400 for images too small for the layers once resized (the inputs that broke the threaded wasm engine), naming the limit', async () => {
    const block3 = { ...SHALLOW, styleLayers: ['block1_conv2', 'block3_conv3'] };
    for (const [width, height] of [[200, 1], [64, 2]]) {
      await expectError(await runner.submit({ content: await gradientPng(width, height), options: { ...block3, size: 32 } }), 400, 'content', /painted 32×1 px at 32 px; every side must be at least 4 px for block3_conv3/);
    }
    await expectError(await runner.submit({ options: { ...block3, size: 32, styleScale: 0.05 } }), 400, 'options.styleScale', /style 1 is used at 2×2 px .*at least 4 px for block3_conv3/);
  });

  test('400 for bad route parameters', async () => {
    await expectError(await runner.api(`/v1/jobs/${'x'.repeat(80)}`), 400, 'params.id', /expected at most 64 characters, got 80/);
    await expectError(await runner.api(`/v1/models/vgg16/${'s'.repeat(300)}`), 400, 'params.shard', /expected at most 255 characters, got 300/);
    await expectError(await runner.api(`/v1/models/${'m'.repeat(40)}/model.json`), 400, 'params.name', /expected at most 32 characters, got 40/);
    await expectError(await runner.api('/v1/jobs/unknown-id'), 404, 'id', /no job unknown-id/);
  });

  test('masks travel in the envelope after their images: a broken or empty one is a 400 naming it, good ones paint', async () => {
    const { style } = await fixtures();
    const black = new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer());
    const white = new Uint8Array(await sharp({ create: { width: 8, height: 4, channels: 3, background: '#fff' } }).png().toBuffer());
    await expectError(await runner.submit({ styles: [{ image: style, mask: new TextEncoder().encode('not a mask') }] }), 400, 'styles[0].mask', /not an image/);
    await expectError(await runner.submit({ styles: [{ image: style }, { image: style, mask: black }] }), 400, 'styles[1].mask', /the mask is empty/);
    await expectError(await runner.submit({ contentMask: black }), 400, 'contentMask', /the mask is empty/);
    const { id } = await json(await runner.submit({ styles: [{ image: style, mask: white }, { image: style }], contentMask: white }));
    const { events } = await readJobEvents(runner, id);
    assert.equal(events.at(-1)!.event, 'done', JSON.stringify(events.at(-1)));
  });

  test('after all that, the runner still runs jobs', async () => {
    const { id } = await json(await runner.submit());
    const { events } = await readJobEvents(runner, id);
    assert.equal(events.at(-1)!.event, 'done');
  });
});
