// npm run release -- --vgg16 FILE [--vgg19 FILE] [--out DIR]
// Puts every artifact a maintainer publishes into one folder, release/pastiche-<version>/ (from the builds of
// `npm run build`, which `npm run release` runs first):
//   node-runner.tgz      the `pastiche` command line, for `npm publish` (installed with `npm install -g`)
//   vgg-weights.tgz      the weights package the plugins load from jsDelivr when no runner serves them
//   figma-plugin/        manifest.json and dist/: "Import plugin from manifest" and Community upload
//   photopea/            the Photopea panel as a static site
//   release.json         what is in the folder, with each package's name and version
// FILE: a Keras *_notop.h5 file, or a TensorFlow.js layers model (model.json or its folder); see
// `npm run weights-package`. test/release/release.test.ts publishes this folder to a local registry and
// installs it as users do.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_WEIGHTS_PACKAGE } from '@pastiche/web-bridge/weights';

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { vgg16: { type: 'string' }, vgg19: { type: 'string' }, out: { type: 'string', default: path.join(repoRoot, 'release') } } });
if (!values.vgg16 && !values.vgg19) {
  console.error('usage: npm run release -- --vgg16 FILE [--vgg19 FILE] [--out DIR]   (FILE: the weights, see npm run weights-package)');
  process.exit(2);
}

const cliDir = path.join(repoRoot, 'packages/node-runner');
const cliPackage = JSON.parse(await readFile(path.join(cliDir, 'package.json'), 'utf8'));
const version: string = cliPackage.version;
const out = path.resolve(values.out!, `pastiche-${version}`);
const built = {
  cli: path.join(cliDir, 'dist/pastiche.js'),
  figma: path.join(repoRoot, 'packages/figma-plugin/dist/ui.html'),
  photopea: path.join(repoRoot, 'packages/photopea-plugin/dist/photopea/plugin.html'),
};
for (const [what, file] of Object.entries(built)) if (!existsSync(file)) throw new Error(`the ${what} build is missing (${path.relative(repoRoot, file)}): run npm run build first`);

await rm(out, { recursive: true, force: true });
const stage = path.join(out, '.stage');
await mkdir(stage, { recursive: true });

/** `npm pack` of a folder into the release folder, renamed to `name`. */
function pack(folder: string, name: string): string {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out, folder], { encoding: 'utf8' }));
  execFileSync('mv', [path.join(out, packed.filename), path.join(out, name)]);
  return name;
}

// The command line: its bundle (our workspace packages inlined) and npm dependencies; published as it is in
// the workspace, less what only the workspace uses (private, its build scripts, devDependencies).
const cliStage = path.join(stage, 'node-runner');
for (const folder of cliPackage.files as string[]) await cp(path.join(cliDir, folder), path.join(cliStage, folder), { recursive: true });
// `exports` names the TypeScript sources, which only the workspace has.
const { private: _private, scripts: _scripts, devDependencies: _dev, exports: _exports, ...published } = cliPackage;
await writeFile(path.join(cliStage, 'package.json'), `${JSON.stringify({ ...published, publishConfig: { access: 'public' } }, null, 2)}\n`);
// The staged copy has no node_modules: the same bundle is asked in the workspace.
const cliVersion = execFileSync(process.execPath, [path.join(cliDir, 'bin/pastiche.js'), '--version'], { encoding: 'utf8' }).trim();
if (cliVersion !== version) throw new Error(`the built command line says ${cliVersion}, its package.json ${version}: rebuild (npm run build)`);
const cliTarball = pack(cliStage, 'node-runner.tgz');

// The weights package, at the version the plugins ask jsDelivr for (DEFAULT_WEIGHTS_PACKAGE).
const weightsDir = path.join(stage, 'vgg-weights');
const weightsArgs = [...(values.vgg16 ? ['--vgg16', values.vgg16] : []), ...(values.vgg19 ? ['--vgg19', values.vgg19] : []), '--out', weightsDir];
execFileSync(process.execPath, ['--import', 'tsx', path.join(cliDir, 'src/weights/weightsPackageScript.ts'), ...weightsArgs], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
const weightsTarball = pack(weightsDir, 'vgg-weights.tgz');

// The Figma plugin folder as Figma reads it: the manifest and the files it names.
const figmaDir = path.join(repoRoot, 'packages/figma-plugin');
await mkdir(path.join(out, 'figma-plugin/dist'), { recursive: true });
await cp(path.join(figmaDir, 'manifest.json'), path.join(out, 'figma-plugin/manifest.json'));
for (const file of ['main.js', 'ui.html']) await cp(path.join(figmaDir, 'dist', file), path.join(out, 'figma-plugin/dist', file));

await cp(path.dirname(built.photopea), path.join(out, 'photopea'), { recursive: true });
await rm(stage, { recursive: true, force: true });

const release = {
  version,
  npm: [
    { name: cliPackage.name, version, file: cliTarball, provides: 'the pastiche command (npm install -g)' },
    { name: DEFAULT_WEIGHTS_PACKAGE.name, version: DEFAULT_WEIGHTS_PACKAGE.version, file: weightsTarball, provides: 'the weights the plugins load from jsDelivr' },
  ],
  figmaPlugin: 'figma-plugin/manifest.json',
  photopea: 'photopea/plugin.html',
};
await writeFile(path.join(out, 'release.json'), `${JSON.stringify(release, null, 2)}\n`);
console.log(`${out}:
  npm publish ${path.join(out, weightsTarball)}   (once per weights version: ${DEFAULT_WEIGHTS_PACKAGE.name}@${DEFAULT_WEIGHTS_PACKAGE.version})
  npm publish ${path.join(out, cliTarball)}
  Figma: Plugins › Development › Import plugin from manifest › ${path.join(out, 'figma-plugin/manifest.json')}, then Publish
  Photopea: host ${path.join(out, 'photopea')}/ (docs/plugins.md)`);
