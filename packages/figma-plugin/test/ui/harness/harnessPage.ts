// The browser test's stand-in for Figma: the fake figma host and the plugin's real main code run in this
// page; dist/ui.html runs in a sandboxed iframe (an opaque origin, like Figma's plugin iframe), and
// messages are relayed both ways the way Figma relays them.
import { startPlugin } from '../../../src/main/startPlugin.ts';
import { DEFAULT_SETTINGS } from '../../../src/settings/defaultSettings.ts';
import { cutIntoTiles } from '../../../src/ui/run/cutIntoTiles.ts';
import { FakeFigma } from '../../fakes/FakeFigma.ts';
import { themeInjection, type FigmaThemeName } from './figmaThemes.ts';
import { FakeContainer, FakeFrame, FakeRectangle, type FakeNode } from '../../fakes/fakeNodes.ts';

const pictures = new WeakMap<FakeNode, string>();

/** Exports draw the layer's picture (or a flat grey) at the requested size, as PNG. */
async function drawLayer(node: FakeNode, width: number, height: number): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  const url = pictures.get(node);
  if (url) context.drawImage(await createImageBitmap(await (await fetch(url)).blob()), 0, 0, width, height);
  else {
    context.fillStyle = '#9aa0a6';
    context.fillRect(0, 0, width, height);
  }
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

const figma = new FakeFigma(drawLayer);
const iframe = document.getElementById('plugin') as HTMLIFrameElement;

// Figma delivers the plugin's figma.ui.postMessage(m) to the iframe as { pluginMessage: m } …
figma.deliverToUi = (message) => iframe.contentWindow?.postMessage({ pluginMessage: message, pluginId: 'pastiche' }, '*');
// … and the iframe's parent.postMessage({ pluginMessage: m }, '*') to figma.ui.onmessage(m).
window.addEventListener('message', (event) => {
  if (event.source === iframe.contentWindow && event.data?.pluginMessage !== undefined) figma.sendFromUi(event.data.pluginMessage);
});

function buildScene() {
  const board = figma.frame('Moodboard', 1600, 900);
  Object.assign(board, { x: 0, y: 0 });
  const photo = figma.rectangle('Tübingen', 512, 384, board);
  Object.assign(photo, { x: 40, y: 40 });
  photo.fills = [{ type: 'IMAGE', imageHash: 'photo', scaleMode: 'FILL' }];
  pictures.set(photo, '/images/tubingen.jpg');
  const starry = figma.frame('Starry Night', 320, 200);
  Object.assign(starry, { x: 0, y: 1000 });
  pictures.set(starry, '/images/starry_night.jpg');
  const scream = figma.frame('The Scream', 240, 306);
  Object.assign(scream, { x: 400, y: 1000 });
  pictures.set(scream, '/images/the_scream.jpg');
  // Regions: a plain rectangle over the left half of the photo, and one beside it that misses the photo.
  const leftHalf = figma.rectangle('Left half', 256, 384, board);
  Object.assign(leftHalf, { x: 40, y: 40 });
  const elsewhere = figma.rectangle('Elsewhere', 100, 100, board);
  Object.assign(elsewhere, { x: 1200, y: 600 });
  const shipwreck = figma.frame('Shipwreck', 320, 220);
  Object.assign(shipwreck, { x: 700, y: 1000 });
  pictures.set(shipwreck, '/images/shipwreck.jpg');
}

const byName = (name: string): FakeNode => {
  const find = (nodes: FakeNode[]): FakeNode | undefined => {
    for (const node of nodes) {
      if (node.name === name) return node;
      const inner = node instanceof FakeContainer ? find(node.children) : undefined;
      if (inner) return inner;
    }
  };
  const found = find(figma.currentPage.children);
  if (!found) throw new Error(`no layer named ${name}`);
  return found;
};

const harness = {
  figma,
  /**
   * Seeds clientStorage (what a previous session saved), builds the canvas, starts the plugin and shows its
   * UI, with Figma's theme tokens when a theme is named (as Figma injects them with themeColors: true).
   */
  async start(storage: Record<string, unknown> = {}, theme?: FigmaThemeName) {
    for (const [key, value] of Object.entries(storage)) figma.storage.set(key, value);
    buildScene();
    const html = await (await fetch('/ui.html')).text();
    // A built main.js where the server has one (a release's), run as Figma runs it: a script that sees the
    // globals `figma` and `__html__`; else the main code from source.
    const main = await fetch('/main.js');
    if (main.ok) new Function('figma', '__html__', await main.text())(figma, html);
    else startPlugin(figma, html);
    const { html: shown, options } = figma.shownUi!;
    iframe.style.width = `${options?.width}px`;
    iframe.style.height = `${options?.height}px`;
    iframe.srcdoc = theme ? themeInjection(theme) + shown : shown;
  },
  select(names: string[]) {
    figma.currentPage.selection = names.map(byName);
  },
  snapshot: () => JSON.stringify(figma.snapshot()),
  /** Every result layer on the page (those that keep a run record), in document order: its name, image size and record. */
  async results() {
    const found = [];
    const walk = (nodes: FakeNode[]): FakeNode[] => nodes.flatMap((n) => [n, ...(n instanceof FakeContainer ? walk(n.children) : [])]);
    for (const node of walk(figma.currentPage.children)) {
      const record = node.getSharedPluginData('pastiche', 'run');
      if (!record || !(node instanceof FakeRectangle)) continue;
      const fill = (node.fills as unknown as Array<{ imageHash: string }>)[0];
      const bitmap = await createImageBitmap(new Blob([figma.images.get(fill.imageHash)! as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
      found.push({ id: node.id, name: node.name, image: [bitmap.width, bitmap.height], record: JSON.parse(record) });
    }
    return found;
  },
  /** Frames whose fill repeats an image (Figma's TILE scale mode): patterns and textures as placed. */
  async patterns() {
    const found = [];
    const walk = (nodes: FakeNode[]): FakeNode[] => nodes.flatMap((n) => [n, ...(n instanceof FakeContainer ? walk(n.children) : [])]);
    for (const node of walk(figma.currentPage.children)) {
      const fill = node instanceof FakeFrame ? (node.fills as unknown as Array<{ type: string; imageHash?: string; scaleMode?: string; scalingFactor?: number }>)[0] : undefined;
      if (fill?.scaleMode !== 'TILE') continue;
      const bitmap = await createImageBitmap(new Blob([figma.images.get(fill.imageHash!)! as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
      found.push({ name: node.name, size: [node.width, node.height], image: [bitmap.width, bitmap.height], scalingFactor: fill.scalingFactor, record: node.getSharedPluginData('pastiche', 'run') });
    }
    return found;
  },
  /** Starts the plugin again as a relaunch button on the selected layer does ("refine", "restylize"). */
  async relaunch(command: string, names: string[]) {
    figma.currentPage.selection = names.map(byName);
    (figma as { command: string }).command = command;
    figma.ui.onmessage = undefined;
    startPlugin(figma, await (await fetch('/ui.html')).text());
    iframe.srcdoc = figma.shownUi!.html;
  },
  storage: () => Object.fromEntries(figma.storage),
  /** The image fill (PNG) of the layer the plugin selected after placing a result, base64, for a test to save. */
  resultPng() {
    const node = figma.currentPage.selection[0];
    if (!(node instanceof FakeRectangle)) return null;
    const bytes = figma.images.get((node.fills as unknown as Array<{ imageHash: string }>)[0].imageHash)!;
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  },
  /** The layer the plugin selected after placing a result, with its image fill decoded. */
  async result() {
    const node = figma.currentPage.selection[0];
    if (!(node instanceof FakeRectangle)) return null;
    const fill = (node.fills as unknown as Array<{ type: string; imageHash: string }>)[0];
    const bytes = figma.images.get(fill.imageHash)!;
    const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
    return {
      name: node.name,
      parent: node.parent?.name,
      box: [node.x, node.y, node.width, node.height],
      fill: fill.type,
      image: { width: bitmap.width, height: bitmap.height, bytes: bytes.length },
      relaunch: Object.keys(node.relaunchData),
      record: JSON.parse(node.getSharedPluginData('pastiche', 'run') || 'null'),
    };
  },
};

/** A test image whose every pixel says where it is: red = x, green = y (mod 256), blue = which 64 px block. */
const pixelAt = (x: number, y: number) => [x % 256, y % 256, ((x >> 6) * 37 + (y >> 6) * 11) % 256];

async function decode(png: Uint8Array) {
  const bitmap = await createImageBitmap(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  return { width: bitmap.width, height: bitmap.height, data: context.getImageData(0, 0, bitmap.width, bitmap.height).data };
}

Object.assign(harness, {
  /**
   * The path of a result above Figma's image limit: the UI's cutIntoTiles (with a small limit, so the test
   * stays small) and the main code's placement. Returns the group's tiles and whether every tile's pixels
   * are the right part of the original.
   */
  async cutAndPlace(width: number, height: number, maxSide: number) {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d')!;
    const image = context.createImageData(width, height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) image.data.set([...pixelAt(x, y), 255], (y * width + x) * 4);
    context.putImageData(image, 0, 0);
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    const tiles = await cutIntoTiles({ png, width, height }, maxSide);
    const roles = { contentId: byName('Tübingen').id, styles: [{ id: byName('Starry Night').id, weight: 1 }] };
    const placed = figma.messages('result-placed').length;
    figma.sendFromUi({ name: 'result-ready', payload: { runId: 999, roles, settings: DEFAULT_SETTINGS, width, height, tiles } });
    while (figma.messages('result-placed').length === placed) await new Promise((r) => setTimeout(r, 10));
    const group = figma.currentPage.selection[0] as FakeContainer;
    const checked = [];
    for (const [i, rectangle] of (group.children as FakeRectangle[]).entries()) {
      const fill = (rectangle.fills as unknown as Array<{ imageHash: string }>)[0];
      const decoded = await decode(figma.images.get(fill.imageHash)!);
      let wrong = 0;
      for (let y = 0; y < decoded.height; y++) {
        for (let x = 0; x < decoded.width; x++) {
          const expected = pixelAt(tiles[i].x + x, tiles[i].y + y);
          const at = (y * decoded.width + x) * 4;
          if (expected.some((v, c) => Math.abs(decoded.data[at + c] - v) > 1)) wrong++;
        }
      }
      checked.push({ name: rectangle.name, box: [rectangle.x, rectangle.y, rectangle.width, rectangle.height], image: [decoded.width, decoded.height], wrongPixels: wrong });
    }
    return { type: group.type, name: group.name, parent: group.parent?.name, box: [group.x, group.y, group.width, group.height], tiles: checked };
  },
});

Object.assign(window, { harness });
export type Harness = typeof harness & { cutAndPlace(width: number, height: number, maxSide: number): Promise<any> };
