import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PasticheInputError, validateOptions } from '../../src/index.ts';
import { parseBytes } from '../../src/plan/parseBytes.ts';
import { planScales } from '../../src/plan/planScales.ts';

const GB = 2 ** 30;
const options = (extra: Record<string, unknown> = {}) => validateOptions({ styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'], ...extra });

describe('planScales: every scale fitted to the memory budget', () => {
  it('leaves scales untiled with no budget, and with the default L-BFGS history', () => {
    const [plan] = planScales(options({ size: 2048 }), [[2048, 2048]]);
    assert.deepEqual([plan.tileSize, plan.tiles, plan.lbfgsHistory], [undefined, 1, 10]);
  });

  it('tiles a scale that would exceed the budget, keeps its peak within it, and leaves the coarse scale whole', () => {
    const plans = planScales(options({ size: 2048, scales: 3, maxMemory: '3GB' }), [[512, 512], [1024, 1024], [2048, 2048]]);
    assert.equal(plans[0].tileSize, undefined);
    assert.ok(plans[2].tileSize !== undefined && plans[2].tiles > 1, `2048 px in ${plans[2].tiles} tiles of ${plans[2].tileSize}`);
    for (const p of plans) assert.ok(p.peakBytes <= 3 * GB, `${p.width} px: ${p.peakBytes} bytes`);
    const untiled = planScales(options({ size: 2048 }), [[2048, 2048]])[0];
    assert.ok(untiled.peakBytes > 3 * GB, 'the untiled 2048 px scale is over the budget the tiled one keeps');
  });

  it('tiles what a GPU buffer cannot hold, whatever the memory', () => {
    const [plan] = planScales(options({ size: 1024 }), [[1024, 1024]], { maxTensorBytes: 128 * 2 ** 20 });
    assert.ok(plan.tileSize !== undefined, 'block 1 at 1024² is 256 MiB, over a 128 MiB buffer');
  });

  it('keeps a scale whole with fewer L-BFGS pairs rather than tiling it, and reports the tiles as laid out', () => {
    // 1024×768 to block3_conv3: untiled with the default 28 pairs needs 3.2 GB, with fewer it fits in 3 GB.
    const [whole] = planScales(options({ size: 1024, maxMemory: '3GB' }), [[768, 1024]]);
    assert.equal(whole.tileSize, undefined);
    assert.ok(whole.lbfgsHistory < 28 && whole.lbfgsHistory >= 3, `${whole.lbfgsHistory} pairs`);
    const [tiled] = planScales(options({ size: 1024, tileSize: 400 }), [[768, 1024]]);
    assert.deepEqual([tiled.tiles, tiled.tileInterior], [6, { height: 384, width: 344 }], 'interiors evened out: 768 = 2 × 384, 1024 = 2 × 344 + 336');
  });

  it('takes fewer L-BFGS pairs before it takes small tiles', () => {
    const [plan] = planScales(options({ size: 3000, maxMemory: '4GB' }), [[3000, 3000]]);
    assert.ok(plan.tileSize! >= 320, `tiles of ${plan.tileSize}`);
    assert.ok(plan.lbfgsHistory < 10 && plan.lbfgsHistory >= 3, `${plan.lbfgsHistory} pairs`);
  });

  it('keeps the content targets while they fit, else has the tiles compute them, and only with a content term', () => {
    // The default objective: content at block2_conv2, 128 channels at half size, 1.5 GB at 4096×3072.
    const full = (extra: Record<string, unknown>) => validateOptions({ styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3', 'block4_conv3', 'block5_conv3'], ...extra });
    const [kept] = planScales(full({ size: 2048, maxMemory: '4GB' }), [[1536, 2048]]);
    assert.ok(kept.tiles > 1 && !kept.contentPerTile, `2048×1536 in ${kept.tiles} tiles, targets kept`);
    const [perTile] = planScales(full({ size: 4096, maxMemory: '4GB' }), [[3072, 4096]]);
    assert.ok(perTile.tiles > 1 && perTile.contentPerTile === true, '4096×3072 under 4 GB computes its content targets per tile');
    assert.ok(perTile.peakBytes <= 4 * GB, `peak ${perTile.peakBytes}`);
    const [styleOnly] = planScales(full({ size: 4096, maxMemory: '4GB', contentWeight: 0 }), [[3072, 4096]]);
    assert.ok(styleOnly.tiles > 1 && !styleOnly.contentPerTile, 'no content term: nothing to compute per tile');
  });

  it('uses the tiles asked for, and names the budget and the need when nothing fits', () => {
    assert.equal(planScales(options({ size: 512, tileSize: 200 }), [[512, 512]])[0].tileSize, 200);
    assert.throws(
      () => planScales(options({ size: 8192, maxMemory: '1GB' }), [[8192, 8192]]),
      (e: unknown) => e instanceof PasticheInputError && /options\.maxMemory/.test(e.message) && /8192×8192/.test(e.message) && /1\.00 GB/.test(e.message),
    );
  });

  it('reads memory sizes in binary units and refuses what is not one', () => {
    assert.equal(parseBytes('1.5GB'), 1.5 * GB);
    assert.equal(parseBytes('800 mb'), 800 * 2 ** 20);
    assert.equal(parseBytes('4g'), 4 * GB);
    assert.throws(() => validateOptions({ maxMemory: 'lots' }), (e: unknown) => e instanceof PasticheInputError && /maxMemory/.test(e.message));
  });
});
