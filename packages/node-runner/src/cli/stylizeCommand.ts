import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import {
  CheckpointError,
  createPastiche,
  DEFAULT_CHECKPOINT_EVERY,
  fitLongestSide,
  PasticheInputError,
  parseTextureSize,
  planForImages,
  StylizeOptionsSchema,
  textureRequest,
  validateOptions,
  validateRequest,
  type Pastiche,
  type RgbaImage,
  type StylizeCheckpoint,
  type StylizeOptions,
  type StylizeRequest,
  type StylizeResult,
  type TextureSize,
} from '@pastiche/core';
import { describeBackendChoice, selectBackend } from '../backend/selectBackend.ts';
import { BACKEND_FLAG_CHOICES, parseBackendFlag } from './backendFlag.ts';
import { encodeGif } from '../images/encodeGif.ts';
import { encodeImage, formatForPath, WRITABLE_FORMATS } from '../images/encodeImage.ts';
import { readImageFile } from '../images/readImageFile.ts';
import { writeFileAtomically } from '../images/writeFileAtomically.ts';
import { writeCheckpointFile } from '../checkpoint/checkpointFile.ts';
import { resolveWeightsSource } from '../weights/index.ts';
import { batchContents } from './batchContents.ts';
import { CliError } from './CliError.ts';
import { createProgressReporter, type ProgressReporter } from './createProgressReporter.ts';
import { describeRunPlan } from './describeRunPlan.ts';
import { formatBytes, formatDuration, formatLoss } from './formatting.ts';
import { optionFlagDeclarations, optionFlagsHelp, optionsFromFlags } from './optionFlags.ts';
import { FLAGS_WITH_RESUME, readResume, resumeHint, type StylizeCheckpointHost } from './resumeStylize.ts';
import { parseCommandFlags } from './parseCommandFlags.ts';
import { PRESETS_LIST } from './presetsCommand.ts';
import { resolveStyleArgument } from './resolveStyleArgument.ts';

const GIF_MAX_SIDE = 480;
/** The starts --init names (the options schema's, but "image", which is what a file means); anything else is a file. */
const INIT_NAMES: string[] = StylizeOptionsSchema.properties.init.anyOf.map((s: { const: string }) => s.const).filter((name: string) => name !== 'image');

const EVERY = `${DEFAULT_CHECKPOINT_EVERY.evaluations} evaluations or ${DEFAULT_CHECKPOINT_EVERY.ms / 1000} s (at most ${DEFAULT_CHECKPOINT_EVERY.maxShare * 100} % of the run)`;

export const STYLIZE_HELP = `Usage: pastiche stylize --content FILE --style FILE [--style FILE …] --out FILE [options]
       pastiche stylize --content FILE|DIR [--content …] --style FILE [--style FILE …] --out-dir DIR [options]
       pastiche stylize --texture WxH --style FILE [--style FILE …] [--seamless] --out FILE [options]

Paints the content image in the style of one or several style images; with --out-dir, each of several
contents (a batch: the styles' targets are computed once for all of them); with --texture, paints a
texture from the styles alone (with --seamless, a pattern that tiles).

Inputs and outputs:
  --content FILE|DIR      the picture to repaint (PNG, JPEG, WebP, …); repeat, or give a folder (its
                          images, by name), for a batch with --out-dir
  --texture WxH           instead of --content: a texture of W×H px from the styles alone, started from
                          noise (Gatys et al. 2015); --size, if given, scales it to that longest side
  --style FILE            a style image, or preset:ID (below); repeat for several
  --style-weights A,B     blend weight of each style, in --style order (default equal; normalised to sum 1)
  --style-mask FILE       where a style paints (white paints, black or transparent does not; any size,
                          stretched to the content): once per --style, in order; "-" means everywhere
  --content-mask FILE     how strongly the content is kept at each pixel, read like a style mask
  --init FILE             start from this image (an earlier result, to refine it: more evaluations,
                          other weights), stretched to the result's size; --init also takes content,
                          random or noisy-content (below)
  --out FILE              result: .png, .jpg or .webp (written only when the run succeeds)
  --out-dir DIR           a batch's results, DIR/<content name>.png, each written as it finishes; one
                          content that cannot be read or painted fails alone; Ctrl-C keeps the finished
  --checkpoint FILE       where the run keeps its checkpoint (default OUT.pastiche-checkpoint; none for --out-dir), written
                          every ${EVERY},
                          at the end of each scale and on Ctrl-C / SIGTERM; removed with success
  --no-checkpoint         keep none
  --resume FILE           continue a stopped run from its checkpoint, with the inputs and flags it was
                          started with (read again from their paths; a changed input is refused)
  --snapshots DIR         save the image every --snapshot-every evaluations (default 10 when set)
  --gif FILE              an animated GIF of the snapshots and the result
  --weights PATH|URL      VGG weights: a folder with model.json (or <model>/model.json), a model.json,
                          a Keras *_notop.h5 file, or a URL of either (downloaded once into the cache);
                          default $PASTICHE_WEIGHTS, else the Keras ImageNet weights
  --backend NAME          ${BACKEND_FLAG_CHOICES}
  --quiet                 no progress output
  --dry-run               print the plan (scales, tiles, memory, time per evaluation from one timed
                          evaluation) and stop; --content sets the aspect (default square), no --style
                          or --out needed

Style presets (public domain; pastiche presets lists them too):
${PRESETS_LIST}

Engine options:
${optionFlagsHelp()}`;

export async function stylizeCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv);
  if (values.help) {
    process.stdout.write(`${STYLIZE_HELP}\n`);
    return;
  }
  if (values.resume === undefined) return run(values, { command: 'stylize', argv, cwd: process.cwd() });
  const extra = Object.keys(values).filter((flag) => !FLAGS_WITH_RESUME.includes(flag));
  if (extra.length > 0) throw new CliError(`--resume takes no --${extra[0]}: the run's flags are in the checkpoint`, 2);
  // The recorded command runs again where it was given, its checkpoint kept in the file resumed.
  const file = path.resolve(values.resume);
  const { checkpoint, host } = await readResume(file);
  try {
    process.chdir(host.cwd);
  } catch {
    throw new CliError(`--resume: the run was started in ${host.cwd}, which is gone`, 2);
  }
  const recorded = parseFlags(host.argv).values;
  return run({ ...recorded, quiet: values.quiet || recorded.quiet }, host, { checkpoint, file });
}

/** A run's checkpoint: the file it is kept in and what it records of the command. */
interface CheckpointPlan {
  file: string;
  host: StylizeCheckpointHost;
}

/** Runs `values`, the flags `host` records; `resume`: continuing that checkpoint, kept in that file. */
async function run(values: ReturnType<typeof parseFlags>['values'], host: StylizeCheckpointHost, resume?: { checkpoint: StylizeCheckpoint; file: string }): Promise<void> {
  const reporter = createProgressReporter(process.stderr, { quiet: values.quiet });
  if (values['dry-run']) return dryRun(values);

  // Everything the user typed is checked before any slow work.
  const texture = parseTexture(values.texture, values.content?.[0]);
  const items = texture ? [{ content: '', out: required(values.out, '--out') }] : await batchContents(values.content ?? [], values.out, values['out-dir']);
  const batch = !texture && values['out-dir'] !== undefined;
  const stylePaths = (values.style ?? []).map(resolveStyleArgument);
  if (stylePaths.length === 0) throw new CliError('--style: at least one style image is required', 2);
  const outFormat = batch ? 'png' : formatForPath(items[0].out);
  if (!outFormat) throw new CliError(`--out: ${items[0].out} must end in ${Object.keys(WRITABLE_FORMATS).join(', ')}`, 2);
  if (batch) await mkdir(values['out-dir']!, { recursive: true });
  else await assertFolderExists(path.dirname(path.resolve(items[0].out)), '--out');
  const styleWeights = parseStyleWeights(values['style-weights'], stylePaths.length);
  const maskPaths = parseStyleMasks(values['style-mask'], stylePaths.length);
  // A resumed run continues on the engine it ran on: only there is it exact.
  const backendPreference = parseBackendFlag(resume ? resume.checkpoint.identity.engine.name : values.backend);
  if (batch && values.checkpoint !== undefined) throw new CliError('--checkpoint follows one run: give one --content and --out', 2);
  const checkpointFile = batch ? undefined : (resume?.file ?? checkpointPath(values, items[0].out));
  if (checkpointFile) await assertFolderExists(path.dirname(path.resolve(checkpointFile)), '--checkpoint');
  // A fresh run would overwrite a stopped run's checkpoint: say how to continue that one instead.
  if (!resume && checkpointFile && (await stat(checkpointFile).catch(() => undefined))) {
    throw new CliError(`${checkpointFile} holds a stopped run: continue it with ${resumeHint(checkpointFile)}, or remove it to start afresh`, 2);
  }
  const checkpoint: CheckpointPlan | undefined = checkpointFile ? { file: checkpointFile, host } : undefined;
  const wantsSnapshots = Boolean(values.snapshots || values.gif);
  const flags = values as Record<string, string | boolean | undefined>;
  const initPath = parseInitFile(flags.init as string | undefined);
  if (batch && initPath !== undefined) throw new CliError('--init FILE refines one result: give one --content and --out', 2);
  if (batch && wantsSnapshots) throw new CliError(`--${values.snapshots ? 'snapshots' : 'gif'} follows one run: give one --content and --out`, 2);
  const typedOptions: StylizeOptions = optionsFromFlags({ ...flags, init: initPath === undefined ? flags.init : 'image' });
  if (wantsSnapshots && typedOptions.snapshotEvery === undefined) typedOptions.snapshotEvery = 10;
  // A texture's request: its canvas, and the options with content weight 0 and a start from noise.
  const textured = texture && textureRequest({ ...texture, styles: [], options: typedOptions });
  const flagOptions = textured ? textured.options! : typedOptions;
  const options = validateOptions(flagOptions);
  if (values.snapshots) await mkdir(values.snapshots, { recursive: true });

  // The images are read before the backend and the weights: a wrong file must not cost a 58 MB download.
  // A batch's contents are read as their turn comes, so that one unreadable file fails alone.
  const readContent = (file: string) => readInputImage(file, '--content', options.size);
  const firstContent = textured ? textured.content : batch ? undefined : await readContent(items[0].content);
  const styleSide = Math.ceil(options.size * options.styleScale);
  const styles = await Promise.all(
    stylePaths.map(async (p, i) => ({
      image: await readInputImage(p, '--style', styleSide),
      weight: styleWeights[i],
      mask: maskPaths[i] === undefined ? undefined : await readInputImage(maskPaths[i], '--style-mask', options.size),
    })),
  );
  const contentMask = values['content-mask'] ? await readInputImage(values['content-mask'], '--content-mask', options.size) : undefined;
  const initImage = initPath === undefined ? undefined : await readInputImage(initPath, '--init', options.size);
  // Empty masks and the like, before the backend and the weights, each named by its flag.
  // Without --seed, a resumed run takes its checkpoint's.
  const seed = flagOptions.seed ?? resume?.checkpoint.identity.options.seed ?? options.seed;
  const requestFor = (content: RgbaImage): StylizeRequest => ({ content, styles, contentMask, initImage, options: { ...flagOptions, seed }, resume: resume?.checkpoint });
  if (firstContent) checkRequest(requestFor(firstContent));

  const backend = await selectBackend(backendPreference);
  reporter.message(describeBackendChoice(backend));

  const weights = await resolveWeightsSource(options.model, values.weights, {
    onProgress: (received, total) => reporter.message(`downloading ${options.model} weights: ${formatBytes(received)}${total ? ` of ${formatBytes(total)}` : ''}`),
  });

  // One engine for every content: it keeps the styles' targets, so a batch computes them once per scale size.
  const engine = createPastiche({
    weights: { [options.model]: weights },
    createEngine: backend.createEngine,
  });
  const controller = new AbortController();
  // `on`, not `once`: Ctrl-C reaches a relaunched stylize twice (from the terminal and from its parent).
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = performance.now();
  const written: string[] = [];
  const failed: string[] = [];
  const styleTargets = { computed: 0, reused: 0 };
  try {
    for (const [i, item] of items.entries()) {
      const name = path.basename(item.content);
      reporter.label(batch ? `${i + 1} of ${items.length} ${name}` : '');
      try {
        const content = firstContent ?? (await readContent(item.content));
        if (batch) checkRequest(requestFor(content));
        const stats = await paint(engine, requestFor(content), item.out, outFormat, values, controller.signal, reporter, checkpoint);
        for (const scale of stats.scales) {
          styleTargets.computed += scale.styleTargets?.computed ?? 0;
          styleTargets.reused += scale.styleTargets?.reused ?? 0;
        }
        written.push(item.out);
      } catch (error) {
        reporter.done();
        // One run's errors (a stop with its checkpoint among them) are its own to word.
        if (!batch) throw error;
        if (controller.signal.aborted) {
          const kept = written.length > 0 ? `kept the ${written.length} finished in ${values['out-dir']}` : 'nothing was written';
          throw new CliError(`cancelled at ${i + 1} of ${items.length}; ${kept}`, 130);
        }
        // One content that cannot be read or painted fails alone, by name; the others go on.
        failed.push(name);
        reporter.message(`${i + 1} of ${items.length} ${name} failed: ${(error as Error).message}`);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    engine.dispose();
  }
  if (!batch) return;
  reporter.label('');
  reporter.message(
    `batch: ${written.length} of ${items.length} written to ${values['out-dir']} in ${formatDuration(performance.now() - started)}; ` +
      `style targets computed ${styleTargets.computed} times, reused ${styleTargets.reused} times`,
  );
  if (failed.length > 0) throw new CliError(`${failed.length} of ${items.length} contents failed: ${failed.join(', ')}`, 1);
}

/** One content's run: its result written when it succeeds (with its snapshots and GIF), and what it did reported. */
async function paint(
  engine: Pastiche,
  request: StylizeRequest,
  outPath: string,
  outFormat: NonNullable<ReturnType<typeof formatForPath>>,
  values: ReturnType<typeof parseFlags>['values'],
  signal: AbortSignal,
  reporter: ProgressReporter,
  checkpoint?: CheckpointPlan,
): Promise<StylizeResult['stats']> {
  const frames: RgbaImage[] = [];
  // Where the last checkpoint was, not the checkpoint: its arrays (the L-BFGS pairs since dropped, an old x) would
  // stay alive until the next one, 3.4 GB at 4096 px (docs/memory.md).
  let saved: string | undefined;
  const result = await engine.stylize(request, {
    signal,
    ...(checkpoint && {
      onCheckpoint: async (written: StylizeCheckpoint) => {
        await writeCheckpointFile(checkpoint.file, { ...written, host: checkpoint.host });
        saved = `evaluation ${written.position.totalEvaluations} of ${written.plan.budgets.reduce((a, b) => a + b, 0)} is in ${checkpoint.file}`;
      },
    }),
    onProgress: (p) => reporter.progress(p),
    onSnapshot: async (image, p) => {
      if (values.snapshots) {
        const file = path.join(values.snapshots, `snapshot-${String(p.totalEvaluation).padStart(4, '0')}.png`);
        await writeFileAtomically(file, await encodeImage(image, 'png'));
      }
      if (values.gif) frames.push(image);
    },
  }).catch((error: unknown) => {
    reporter.done();
    if (error instanceof CheckpointError) throw new CliError(`--resume: ${checkpoint?.file}: ${error.message}`, 2);
    if (signal.aborted) throw new CliError(saved ? `stopped; ${saved}: continue with ${resumeHint(checkpoint!.file)}` : 'cancelled; nothing was written', 130);
    if (saved) reporter.message(`${saved}: continue with ${resumeHint(checkpoint!.file)}`);
    throw error;
  });
  reporter.done();
  await writeFileAtomically(outPath, await encodeImage(result.image, outFormat));
  if (values.gif) await writeFileAtomically(values.gif, encodeGif(await sameSizeFrames([...frames, result.image])));
  if (checkpoint) await rm(checkpoint.file, { force: true });
  const { stats } = result;
  reporter.message(
    `wrote ${outPath} (${result.image.width}×${result.image.height}) in ${formatDuration(stats.elapsedMs)}: ` +
      `${stats.evaluations} evaluations, loss ${formatLoss(stats.loss.total)} (content ${formatLoss(stats.loss.content)}, ` +
      `style ${formatLoss(stats.loss.style)}, tv ${formatLoss(stats.loss.tv)}), seed ${stats.seed}, backend ${stats.backend}`,
  );
  if (stats.scales.length > 1 || stats.scales[0].stopReason !== 'budget') {
    const why: Record<string, string> = { plateau: ', loss flat', converged: ', converged' };
    // Where the time went: each scale's time, its targets included.
    reporter.message(`scales: ${stats.scales.map((s) => `${s.width}×${s.height} ${s.evaluations} evaluations${why[s.stopReason] ?? ''} in ${formatDuration(s.elapsedMs)}`).join('; ')}`);
  }
  for (const s of stats.scales.filter((s) => s.tiles > 1)) {
    const content = s.contentPerTile ? ', content features computed per tile' : '';
    reporter.message(`the ${s.width}×${s.height} scale ran in ${s.tiles} tiles of ${s.tileInterior!.width}×${s.tileInterior!.height} px (${s.lbfgsHistory} L-BFGS pairs${content}) to fit the memory`);
  }
  return stats;
}

function parseFlags(argv: string[]) {
  return parseCommandFlags('stylize', argv, {
    content: { type: 'string', multiple: true },
    texture: { type: 'string' },
    style: { type: 'string', multiple: true },
    'style-weights': { type: 'string' },
    'style-mask': { type: 'string', multiple: true },
    'content-mask': { type: 'string' },
    out: { type: 'string' },
    'out-dir': { type: 'string' },
    snapshots: { type: 'string' },
    gif: { type: 'string' },
    weights: { type: 'string' },
    backend: { type: 'string' },
    quiet: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    checkpoint: { type: 'string' },
    'no-checkpoint': { type: 'boolean' },
    resume: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    ...optionFlagDeclarations(),
  });
}

/** --checkpoint FILE, none with --no-checkpoint, else beside the result. */
function checkpointPath(values: ReturnType<typeof parseFlags>['values'], outPath: string): string | undefined {
  if (values['no-checkpoint'] && values.checkpoint !== undefined) throw new CliError('--checkpoint and --no-checkpoint: give one or the other', 2);
  if (values['no-checkpoint']) return undefined;
  return values.checkpoint ?? `${outPath}.pastiche-checkpoint`;
}

/** An input that cannot be read or is no image is a usage error (exit 2), like any other bad flag. */
async function readInputImage(file: string, flag: string, maxSide: number): Promise<RgbaImage> {
  try {
    return await readImageFile(file, flag, maxSide);
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

/** `--dry-run`: the plan of the run the same flags would start, on the engine they would choose. */
async function dryRun(values: ReturnType<typeof parseFlags>['values']) {
  const typed = optionsFromFlags(values as Record<string, string | boolean | undefined>);
  const texture = parseTexture(values.texture, values.content?.[0]);
  const flagged = validateOptions(texture ? textureRequest({ ...texture, styles: [], options: typed }).options! : typed);
  const size = texture ?? (values.content?.length ? await readImageSize(values.content[0], '--content') : { width: flagged.size, height: flagged.size });
  const options = planForImages(flagged, size);
  const [height, width] = fitLongestSide(size.height, size.width, options.size);
  const backend = await selectBackend(parseBackendFlag(values.backend));
  const weights = await resolveWeightsSource(options.model, values.weights);
  const pastiche = createPastiche({ weights: { [options.model]: weights }, createEngine: backend.createEngine });
  try {
    process.stdout.write(`${describeBackendChoice(backend)}\n${await describeRunPlan(await pastiche.loadModel(options.model), options, height, width)}\n`);
  } finally {
    pastiche.dispose();
  }
}

async function readImageSize(file: string, flag: string): Promise<{ width: number; height: number }> {
  const meta = await sharp(file).metadata().catch((error: Error) => {
    throw new CliError(`${flag}: cannot read ${file} (${error.message})`, 2);
  });
  if (!meta.width || !meta.height) throw new CliError(`${flag}: ${file} has no size`, 2);
  return { width: meta.width, height: meta.height };
}

/**
 * `--texture WxH` (or N for N×N): the texture's size. A flag of its own rather than a missing --content: a
 * forgotten --content stays an error, and a texture's shape needs both sides where --size gives one.
 */
function parseTexture(raw: string | undefined, content: string | undefined): TextureSize | undefined {
  if (raw === undefined) return undefined;
  if (content !== undefined) throw new CliError('--texture paints from the styles alone: give --texture or --content, not both', 2);
  try {
    return parseTextureSize(raw);
  } catch (error) {
    if (error instanceof PasticheInputError) throw new CliError(`--texture: ${error.problem}`, 2);
    throw error;
  }
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new CliError(`${flag} is required (see pastiche stylize --help)`, 2);
  return value;
}

function parseStyleWeights(raw: string | undefined, count: number): number[] {
  if (raw === undefined) return Array(count).fill(1);
  const weights = raw.split(',').map((s) => Number(s.trim()));
  if (weights.length !== count) throw new CliError(`--style-weights: expected ${count} comma-separated weights (one per --style), got ${weights.length}`, 2);
  const bad = weights.findIndex((w) => !Number.isFinite(w) || w < 0);
  if (bad >= 0) throw new CliError(`--style-weights: weight ${bad + 1} must be a number ≥ 0, got "${raw.split(',')[bad].trim()}"`, 2);
  if (!weights.some((w) => w > 0)) throw new CliError('--style-weights: at least one weight must be above 0', 2);
  return weights;
}

/** `--init FILE`: the file to start from; undefined for the named starts (content, random, noisy-content) or none. */
function parseInitFile(raw: string | undefined): string | undefined {
  if (raw === undefined || INIT_NAMES.includes(raw)) return undefined;
  if (raw === 'image') throw new CliError('--init: give the image to start from as --init FILE', 2);
  return raw;
}

/** One --style-mask per --style, or none at all; "-" leaves that style unmasked. */
function parseStyleMasks(raw: string[] | undefined, count: number): Array<string | undefined> {
  if (raw === undefined) return Array(count).fill(undefined);
  if (raw.length !== count) throw new CliError(`--style-mask: expected one per --style (${count}), in order ("-" for everywhere), got ${raw.length}`, 2);
  return raw.map((p) => (p === '-' ? undefined : p));
}

/** The core's request checks, with the fields of masks named by their flags. */
function checkRequest(request: StylizeRequest) {
  try {
    validateRequest(request);
  } catch (error) {
    if (!(error instanceof PasticheInputError)) throw error;
    const masks = /^styles\[(\d+)\]\.mask$/.exec(error.field);
    if (masks) throw new CliError(`--style-mask ${Number(masks[1]) + 1}: ${error.problem}`, 2);
    if (error.field === 'contentMask') throw new CliError(`--content-mask: ${error.problem}`, 2);
    if (error.field === 'initImage') throw new CliError(`--init: ${error.problem}`, 2);
    throw error;
  }
}

async function assertFolderExists(folder: string, flag: string) {
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError(`${flag}: folder ${folder} does not exist`, 2);
}

/** GIF frames share one size: the result's, fitted into GIF_MAX_SIDE (coarse scales are smaller). */
async function sameSizeFrames(frames: RgbaImage[]): Promise<RgbaImage[]> {
  const last = frames[frames.length - 1];
  const [height, width] = fitLongestSide(last.height, last.width, Math.min(GIF_MAX_SIDE, Math.max(last.width, last.height)));
  return Promise.all(
    frames.map(async (frame) => {
      const data = await sharp(Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength), {
        raw: { width: frame.width, height: frame.height, channels: 4 },
      })
        .resize(width, height, { fit: 'fill' })
        .raw()
        .toBuffer();
      return { width, height, data: new Uint8Array(data) };
    }),
  );
}

