// The release as users get it: `scripts/release.ts` (what `npm run release` runs after the build) writes the
// release folder; every npm package in it is published to a real registry on 127.0.0.1 (Verdaccio, no
// uplinks); from an empty folder that knows only that registry, `npm install -g` gives a `pastiche` that paints;
// and the released Figma plugin paints with no runner, its weights from a stand-in for jsDelivr that serves the
// published weights package's files, read from the registry's tarball. Nothing is downloaded from the internet.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { loadRealWeights, syntheticWeights } from '@pastiche/core/test-support';
import { harness, openAndSelect, serveWeightsCdn, serveWithoutRunner, waitInRun } from '@pastiche/figma-plugin/test-harness';
import { writeWeightsPackage } from '@pastiche/node-runner';
import { DEFAULT_WEIGHTS_PACKAGE } from '@pastiche/web-bridge/weights';
import { seedRegistryFromLockfile } from './seedRegistryFromLockfile.ts';
import { startLocalRegistry } from './startLocalRegistry.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const shared = path.resolve(repoRoot, '../shared');
const artifacts = path.join(repoRoot, '.artifacts/figma-plugin');
const CHROMIUM = '/usr/bin/chromium';
/** The stand-in CDN's rate: a designer's ordinary connection. */
const RATE = 50e6;
const cliPackage = JSON.parse(await readFile(path.join(repoRoot, 'packages/node-runner/package.json'), 'utf8'));

describe('the release, published to a local registry and installed as users install it', { timeout: 2_700_000 }, () => {
  let work: string;
  let registry: Awaited<ReturnType<typeof startLocalRegistry>>;
  let releaseDir: string;
  let release: { version: string; npm: Array<{ name: string; version: string; file: string }>; figmaPlugin: string; photopea: string };
  /** npm with only the local registry configured: no user or global npmrc, no npm_config_* from the npm running this suite, a cache of its own. */
  let npm: (args: string[], cwd: string) => ReturnType<typeof spawnSync>;

  before(async () => {
    assert.ok(existsSync(path.join(shared, 'models/vgg16/model.json')), `no weights in ${shared}/models`);
    assert.ok(existsSync(path.join(repoRoot, 'packages/figma-plugin/dist/ui.html')), 'build first (npm run build)');
    work = await mkdtemp(path.join(tmpdir(), 'pastiche-release-'));

    // The maintainer's full weights: here the real blocks 1–3 and seeded synthetic blocks 4–5 of the exact shapes.
    const real = await loadRealWeights('vgg16');
    const layers = new Map([...syntheticWeights('vgg16', 'block5_conv3')].map(([name, w]) => [name, real.get(name) ?? w]));
    const fullWeights = path.join(work, 'full-weights');
    await writeWeightsPackage({ vgg16: layers }, fullWeights);

    // The release script alone: `npm test` has built everything, and rebuilding here would rewrite dist/ under
    // the suites running beside this one.
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/release.ts', '--vgg16', path.join(fullWeights, 'vgg16'), '--out', path.join(work, 'release')], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    releaseDir = path.join(work, 'release', `pastiche-${cliPackage.version}`);
    release = JSON.parse(await readFile(path.join(releaseDir, 'release.json'), 'utf8'));

    const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
    registry = await startLocalRegistry(path.join(work, 'registry'), (storage) =>
      seedRegistryFromLockfile({ repoRoot, workspace: 'packages/node-runner', storage, npmCache }),
    );
    const token = await registry.addUser('maintainer', 'release-test-password');
    const host = new URL(registry.url).host;
    await writeFile(path.join(work, 'npmrc'), `registry=${registry.url}\n//${host}/:_authToken=${token}\n`);
    await writeFile(path.join(work, 'global-npmrc'), '');
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
    npm = (args, cwd) =>
      spawnSync('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], {
        cwd,
        encoding: 'utf8',
        env: {
          ...env,
          npm_config_userconfig: path.join(work, 'npmrc'),
          npm_config_globalconfig: path.join(work, 'global-npmrc'),
          npm_config_cache: path.join(work, 'npm-cache'),
          // onnxruntime-node's install script fetches its CUDA provider from NuGet unless told not to (README, Install).
          ONNXRUNTIME_NODE_INSTALL: 'skip',
        },
      });
    // Every npm package of the release, published as the maintainer does (README, Releasing).
    for (const { file } of release.npm) {
      const published = npm(['publish', path.join(releaseDir, file)], work);
      assert.equal(published.status, 0, `npm publish ${file}:\n${published.stderr}`);
    }
  });

  after(async () => {
    await registry?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('puts every artifact in one folder under one version: the npm packages, the Figma plugin, the Photopea site', async () => {
    assert.equal(release.version, cliPackage.version);
    assert.deepEqual(release.npm.map((p) => `${p.name}@${p.version}`), [`${cliPackage.name}@${cliPackage.version}`, `${DEFAULT_WEIGHTS_PACKAGE.name}@${DEFAULT_WEIGHTS_PACKAGE.version}`]);
    const manifest = JSON.parse(await readFile(path.join(releaseDir, release.figmaPlugin), 'utf8'));
    for (const file of [manifest.main, manifest.ui]) assert.ok(existsSync(path.join(releaseDir, 'figma-plugin', file)), `the Figma manifest names ${file}, which the release lacks`);
    assert.ok(existsSync(path.join(releaseDir, release.photopea)));
  });

  it('`npm install -g` from an empty folder that knows only the registry gives a pastiche that paints', async () => {
    const empty = path.join(work, 'empty');
    const prefix = path.join(work, 'prefix');
    await mkdir(empty);
    const installed = npm(['install', '-g', '--prefix', prefix, cliPackage.name], empty);
    assert.equal(installed.status, 0, `npm install -g ${cliPackage.name}:\n${installed.stderr}`);
    const pastiche = path.join(prefix, 'bin', 'pastiche');

    const version = spawnSync(pastiche, ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), release.version);

    const out = path.join(empty, 'painted.png');
    const painted = spawnSync(pastiche, ['stylize', '--weights', path.join(shared, 'models/vgg16'), '--content', path.join(shared, 'images/tubingen.jpg'), '--style', path.join(shared, 'images/starry_night.jpg'),
      '--size', '64', '--evaluations', '10', '--style-layers', 'block1_conv2,block2_conv2,block3_conv3', '--out', out], { cwd: empty, encoding: 'utf8', timeout: 600_000 });
    assert.equal(painted.status, 0, `pastiche stylize:\n${painted.stderr}`);
    const png = await readFile(out);
    assert.equal(png.readUInt32BE(16) === 64 || png.readUInt32BE(20) === 64, true, 'the longer side is 64 px');
  });

  it('the released Figma plugin paints the Preview preset with no runner, from the published weights package behind a stand-in jsDelivr; the figures are written down', async () => {
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
    // The weights package's files as jsDelivr serves them: from the tarball the registry hands out.
    const { name, version } = DEFAULT_WEIGHTS_PACKAGE;
    const packument = (await (await fetch(`${registry.url}${name.replace('/', '%2f')}`)).json()) as { versions: Record<string, { dist: { tarball: string } }> };
    assert.ok(packument.versions?.[version], `the registry has no ${name}@${version} (published by the test before)`);
    const tarball = path.join(work, 'weights.tgz');
    await writeFile(tarball, Buffer.from(await (await fetch(packument.versions[version].dist.tarball)).arrayBuffer()));
    const unpacked = path.join(work, 'weights-from-registry');
    await mkdir(unpacked);
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
    const cdn = await serveWeightsCdn(path.join(unpacked, 'package'), { bitsPerSecond: RATE });
    const figmaDir = path.dirname(path.join(releaseDir, release.figmaPlugin));
    const site = await serveWithoutRunner({ uiHtmlFile: path.join(figmaDir, 'dist/ui.html'), mainJsFile: path.join(figmaDir, 'dist/main.js'), imageDir: path.join(shared, 'images'), modelDir: path.join(shared, 'models/vgg16') });
    const userDataDir = await mkdtemp(path.join(tmpdir(), 'pastiche-release-chromium-'));
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...cdn.chromiumArgs],
        viewport: { width: 360, height: 680 },
        deviceScaleFactor: 2,
      });
      const { page, ui, opened } = await openAndSelect(context, site.origin);
      await ui.locator('button[data-preset="preview"]').click();
      await ui.locator('button[data-action="stylize"]').click();
      await waitInRun(ui, '#run[data-phase="painting"] .preview-box:not([hidden]) img', 900_000);
      const firstPreview = performance.now() - opened;
      // Generous: two files run at once in the suite, and this machine's 2 cores are shared.
      await waitInRun(ui, '#run[data-phase="done"]', 1_800_000);
      const resultLayer = performance.now() - opened;
      const done = await ui.locator('#run .message').innerText();
      assert.match(done, /Added “Pastiche — Tübingen × Starry Night”/);
      const engine = /in the plugin, (WebGL|WebAssembly|CPU)/.exec(done)?.[1];
      assert.ok(engine, done);
      const result = (await harness(page, 'result'))!;
      assert.equal(Math.max(result.image.width, result.image.height), 256, 'the Preview preset paints 256 px');
      assert.equal(result.fill, 'IMAGE');
      assert.ok(cdn.state.requests.every((r) => r.startsWith(`/npm/${name}@${version}/`)), `the plugin asked the CDN only for the weights package: ${cdn.state.requests.join(', ')}`);
      await mkdir(artifacts, { recursive: true });
      await page.locator('#plugin').screenshot({ path: path.join(artifacts, 'release-done-default-weights.png') });
      await writeFile(path.join(artifacts, 'release-result-default-weights.png'), Buffer.from((await harness(page, 'resultPng'))!, 'base64'));
      const figures = {
        through: `the release folder's figma-plugin/ (main.js and ui.html), ${name}@${version} from the local registry`,
        preset: 'preview (256 px, the preview schedule: 128 then 256 px, VGG16 to block5_conv3)',
        weightsRateMbitPerSecond: RATE / 1e6,
        weightsBytes: cdn.state.bytesSent,
        openToFirstPreviewSeconds: +(firstPreview / 1000).toFixed(1),
        openToResultLayerSeconds: +(resultLayer / 1000).toFixed(1),
        engine,
      };
      await writeFile(path.join(artifacts, 'figures-default-weights.json'), `${JSON.stringify(figures, null, 2)}\n`);
      console.log(`figures: ${JSON.stringify(figures)}`);
      assert.ok(cdn.state.bytesSent > 25e6 && cdn.state.bytesSent < 35e6, `VGG16 to block5_conv3 in float16 is about 29 MB; sent ${cdn.state.bytesSent}`);
    } finally {
      await context?.close();
      await cdn.close();
      await site.close();
      await rm(userDataDir, { recursive: true, force: true });
    }
  });
});
