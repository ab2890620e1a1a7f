import { createPhotopeaClient, type PhotopeaClient } from '../../src/index.ts';
import { FakeHost, type FakeHostOptions, type Picture, type Raster } from './fakePhotopea.ts';

/**
 * The plugin's side and a fake Photopea in one Node process, joined as postMessage joins them: messages
 * arrive asynchronously as MessageEvent-like events whose `source` is the Photopea window. The "PNG" of an
 * export is the JSON list of the layers that showed; an image URL `data:test,W,H` decodes to a W × H raster.
 */
export function connectInMemory(options: Partial<Pick<FakeHostOptions, 'mode' | 'placeDelayMs'>> & { timeoutMs?: number } = {}) {
  const pluginWindow = new EventTarget();
  const photopeaWindow = {
    postMessage(message: unknown) {
      setTimeout(() => void host.receive(message), 0);
    },
  };
  const host: FakeHost = new FakeHost({
    mode: options.mode,
    placeDelayMs: options.placeDelayMs ?? 30,
    send: (message) => setTimeout(() => pluginWindow.dispatchEvent(Object.assign(new Event('message'), { data: message, source: photopeaWindow })), 0),
    render: async (picture: Picture) => new TextEncoder().encode(JSON.stringify(picture.layers.map((l) => l.name))).buffer as ArrayBuffer,
    decode: async (url: string): Promise<Raster> => {
      const [width, height] = url.replace('data:test,', '').split(',').map(Number);
      return { width, height, data: new Uint8ClampedArray(width * height * 4).fill(200) };
    },
  });
  const client: PhotopeaClient = createPhotopeaClient({ target: photopeaWindow, events: pluginWindow, timeoutMs: options.timeoutMs });
  /** Sends a message to the plugin as if from Photopea (stray "done"s, other plugins' echoes). */
  const sendFromPhotopea = (data: unknown) => pluginWindow.dispatchEvent(Object.assign(new Event('message'), { data, source: photopeaWindow }));
  return { host, client, photopeaWindow, pluginWindow, sendFromPhotopea };
}

const solid = (width: number, height: number, value: number): Raster => ({ width, height, data: new Uint8ClampedArray(width * height * 4).fill(value) });

/** The test document: a background, a photo, hidden style layers, one of them in a hidden group, and a group with a hidden child. */
export function addTestDocument(host: FakeHost) {
  return host.addDocument(
    'poster.psd',
    200,
    100,
    [
      { name: 'Title', raster: solid(80, 20, 10), left: 10, top: 5 },
      { name: 'Styles', visible: false, layers: [{ name: 'Starry Night', raster: solid(60, 40, 20), left: 100, top: 40 }, { name: 'Unused', raster: solid(10, 10, 30), left: 0, top: 0 }] },
      { name: 'The Scream', visible: false, raster: solid(50, 60, 40), left: 140, top: 30 },
      { name: 'Photo', raster: solid(120, 80, 50), left: 20, top: 10 },
      { name: 'Extras', layers: [{ name: 'Shown child', raster: solid(10, 10, 60), left: 5, top: 5 }, { name: 'Hidden child', visible: false, raster: solid(10, 10, 70), left: 20, top: 20 }] },
      { name: 'Background', raster: solid(200, 100, 255) },
    ],
    [3],
  );
}
