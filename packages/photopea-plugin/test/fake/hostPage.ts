// The fake Photopea page for the browser test: reads its configuration from the hash as Photopea does
// (https://www.photopea.com/api/), shows the first plugin of `environment.plugins` in a panel frame, and
// answers that frame's messages with the fake scripting DOM (fakePhotopea.ts) over a document made of the
// example images. A canvas shows the document as it is now. `window.fakePhotopea` is the test's handle.
import { describeDocument, FakeHost, type FakeHostOptions, type FakeLayerSpec, type Picture, type Raster } from './fakePhotopea.ts';

const config = JSON.parse(decodeURIComponent(location.hash.slice(1)) || '{}') as { environment?: { plugins?: Array<{ name: string; url: string; width: number; height: number }> } };
const params = new URLSearchParams(location.search);
const plugin = config.environment?.plugins?.[0];

async function decodeToRaster(blob: Blob, width?: number, height?: number): Promise<Raster> {
  const bitmap = await createImageBitmap(blob);
  const w = width ?? bitmap.width;
  const h = height ?? bitmap.height;
  const context = new OffscreenCanvas(w, h).getContext('2d')!;
  context.drawImage(bitmap, 0, 0, w, h);
  return { width: w, height: h, data: context.getImageData(0, 0, w, h).data };
}

async function drawPicture(picture: Picture, canvas: OffscreenCanvas | HTMLCanvasElement) {
  const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
  context.clearRect(0, 0, canvas.width, canvas.height);
  for (const layer of picture.layers) {
    const { raster, rect } = layer;
    const bitmap = await createImageBitmap(new ImageData(new Uint8ClampedArray(raster.data), raster.width, raster.height));
    context.drawImage(bitmap, rect.left, rect.top, rect.width, rect.height);
  }
}

const image = async (name: string, width: number, height: number) => decodeToRaster(await (await fetch(`/images/${name}`)).blob(), width, height);
const solid = (width: number, height: number, rgba: [number, number, number, number]): Raster => {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
  return { width, height, data };
};

const frame = document.getElementById('plugin') as HTMLIFrameElement;
const canvas = document.getElementById('canvas') as HTMLCanvasElement;
const layerList = document.getElementById('layer-list')!;
const options: FakeHostOptions = {
  mode: (params.get('mode') as FakeHostOptions['mode']) ?? 'normal',
  send: (message) => frame.contentWindow?.postMessage(message, '*'),
  async render(picture) {
    const out = new OffscreenCanvas(picture.width, picture.height);
    await drawPicture(picture, out);
    return (await out.convertToBlob({ type: 'image/png' })).arrayBuffer();
  },
  decode: async (url) => decodeToRaster(await (await fetch(url)).blob()),
};
const host = new FakeHost(options);

async function setUp() {
  if (params.get('doc') !== 'none') {
    const layers: FakeLayerSpec[] = [
      { name: 'Title', raster: solid(200, 14, [230, 190, 60, 255]), left: 20, top: 138 },
      { name: 'Styles', visible: false, layers: [{ name: 'Starry Night', raster: await image('starry_night.jpg', 90, 72), left: 140, top: 10 }] },
      { name: 'The Scream', visible: false, raster: await image('the_scream.jpg', 60, 76), left: 170, top: 60 },
      { name: 'Photo', raster: await image('tubingen.jpg', 128, 96), left: 16, top: 24 },
      { name: 'Background', raster: solid(240, 160, [238, 236, 230, 255]) },
    ];
    host.addDocument('poster.psd', 240, 160, layers, [3]);
  }
  canvas.width = host.activeDocument?.width ?? 240;
  canvas.height = host.activeDocument?.height ?? 160;
  window.addEventListener('message', (event) => {
    if (event.source === frame.contentWindow) void host.receive(event.data).then(redraw);
  });
  if (plugin) {
    frame.style.width = `${plugin.width}px`;
    frame.style.height = `${plugin.height}px`;
    document.getElementById('plugin-title')!.textContent = plugin.name;
    frame.src = plugin.url;
  }
  await redraw();
}

/** The canvas and the layer list as the document is now (placed images arrive later: the page redraws every 300 ms too). */
async function redraw() {
  const doc = host.activeDocument;
  if (!doc) {
    layerList.textContent = 'No document';
    return;
  }
  await drawPicture(doc.picture(), canvas);
  layerList.replaceChildren(
    ...doc.all().map((layer) => {
      const row = document.createElement('div');
      let depth = 0;
      for (let p = layer.parent; p !== doc; p = (p as typeof layer).parent) depth++;
      row.textContent = `${layer.visible ? '●' : '○'} ${'  '.repeat(depth)}${layer.typename === 'LayerSet' ? '▸ ' : ''}${layer.name}`;
      row.className = doc.activeLayer === layer ? 'active' : '';
      return row;
    }),
  );
}
setInterval(() => void redraw(), 300);

const handle = {
  ready: setUp().then(() => true),
  describe: () => (host.activeDocument ? describeDocument(host.activeDocument) : null),
  events: () => host.activeDocument?.events ?? [],
  placed: () => host.placed,
  scriptCount: () => host.scripts.length,
  /** The user selects a rectangle (document pixels: left, top, right, bottom), or nothing. */
  select(bounds: [number, number, number, number] | null) {
    host.activeDocument!.selection.bounds = bounds && bounds.map((value) => ({ value, type: 'px' }));
  },
  /** The user makes the (first) layer of this name the active one, as a click in Photopea's Layers panel does. */
  activate(name: string) {
    const doc = host.activeDocument!;
    doc.activeLayer = doc.all().find((layer) => layer.name === name) ?? null;
  },
  setMode(mode: FakeHostOptions['mode']) {
    host.options.mode = mode;
  },
  redraw,
};
export type FakePhotopeaHandle = typeof handle;
(globalThis as unknown as { fakePhotopea: FakePhotopeaHandle }).fakePhotopea = handle;
