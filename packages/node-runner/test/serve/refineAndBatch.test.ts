import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { encodeJobEnvelope, JOB_CONTENT_TYPE, type JobEnvelopeInput } from '@pastiche/web-bridge/wire';
import { fixtures, json, readJobEvents, SHALLOW, startTestRunner, type TestRunner } from './helpers/runner.ts';

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner();
});
after(() => runner?.close());

const post = (input: JobEnvelopeInput) => runner.api('/v1/jobs', { method: 'POST', body: encodeJobEnvelope(input), headers: { 'content-type': JOB_CONTENT_TYPE } });
async function paint(input: JobEnvelopeInput) {
  const response = await post(input);
  assert.equal(response.status, 202, await response.clone().text());
  const { id } = await json(response);
  const { events } = await readJobEvents(runner, id);
  const done = events.at(-1)!;
  assert.equal(done.event, 'done', JSON.stringify(done));
  const png = Buffer.from(await (await runner.api(`/v1/jobs/${id}/result`)).arrayBuffer());
  return { png, stats: (done.data as { stats: { scales: Array<{ styleTargets?: { computed: number; reused: number } }> } }).stats };
}
const solid = (r: number, g: number, b: number) => sharp({ create: { width: 48, height: 36, channels: 3, background: { r, g, b } } }).png().toBuffer().then((b) => new Uint8Array(b));
const meanRgb = async (png: Buffer) => (await sharp(png).stats()).channels.slice(0, 3).map((c) => c.mean);

describe('refine through the runner: the init image travels in the job envelope', () => {
  test('a job with options.init "image" starts from its initImage', async () => {
    const { content, style } = await fixtures();
    const options = { ...SHALLOW, size: 48, evaluations: 1 };
    // One evaluation: the result is where the run started.
    const fromInit = await paint({ content, styles: [{ image: style }], initImage: await solid(200, 40, 90), options: { ...options, init: 'image' } });
    const [r, g, b] = await meanRgb(fromInit.png);
    assert.ok(Math.abs(r - 200) < 3 && Math.abs(g - 40) < 3 && Math.abs(b - 90) < 3, `the result's mean colour is ${[r, g, b]}, not the init image's`);
    const fromContent = await paint({ content, styles: [{ image: style }], options });
    assert.ok(Math.abs((await meanRgb(fromContent.png))[0] - 200) > 30, 'the same job from the content paints otherwise');
  });

  test('an initImage without options.init "image", and the reverse, are refused naming initImage', async () => {
    const { content, style } = await fixtures();
    for (const input of [
      { content, styles: [{ image: style }], initImage: await solid(1, 2, 3), options: SHALLOW },
      { content, styles: [{ image: style }], options: { ...SHALLOW, init: 'image' as const } },
    ]) {
      const response = await post(input);
      assert.equal(response.status, 400);
      assert.equal((await json(response)).field, 'initImage');
    }
  });
});

describe('a batch through the runner: one job per content, the engine keeping the style targets', () => {
  test('three contents with the same style: the first job computes the style targets, the other two reuse them', async () => {
    const { style } = await fixtures();
    const options = { ...SHALLOW, styleLayers: ['block1_conv2', 'block2_conv2'], size: 40, evaluations: 2 };
    const counts = [];
    for (const [r, g, b] of [[10, 200, 30], [200, 10, 30], [30, 10, 200]]) {
      counts.push((await paint({ content: await solid(r, g, b), styles: [{ image: style }], options })).stats.scales.map((s) => s.styleTargets));
    }
    assert.deepEqual(counts, [[{ computed: 1, reused: 0 }], [{ computed: 0, reused: 1 }], [{ computed: 0, reused: 1 }]]);
  });
});
