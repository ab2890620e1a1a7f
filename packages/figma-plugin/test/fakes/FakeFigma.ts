import type { NotificationHandler, NotificationOptions, ShowUIOptions } from '@figma/plugin-typings/plugin-api-standalone.js';
import type { HostBaseNode, PluginHost } from '../../src/main/host/PluginHost.ts';
import { readPngSize } from '../../src/results/readPngSize.ts';
import { FakeContainer, FakeFrame, FakeNode, FakePage, FakeRectangle, insertInto, type Exporter, type FakeParent } from './fakeNodes.ts';

type MessageHandler = NonNullable<PluginHost['ui']['onmessage']>;

/**
 * The figma global, as far as the plugin uses it (`implements PluginHost`, which is spelled with the
 * official typings), with Figma's observable behaviour: new nodes land on the current page, images over
 * 4096 px are refused, selectionchange fires after the selection changes, messages are delivered
 * asynchronously. Everything the plugin does is recorded for assertions.
 */
export class FakeFigma implements PluginHost {
  command = '';
  currentPage: FakePage;
  readonly pages: FakePage[] = [];
  /** Relaunch data set on the document (the `open` button). */
  rootRelaunchData: Record<string, string> = {};
  readonly root: PluginHost['root'] = { setRelaunchData: (data) => void (this.rootRelaunchData = { ...data }) };
  readonly images = new Map<string, Uint8Array>();
  readonly notifications: string[] = [];
  readonly storage = new Map<string, unknown>();
  readonly scrolledTo: HostBaseNode[][] = [];
  shownUi?: { html: string; options?: ShowUIOptions };
  /** Messages the plugin posted to its UI, in order. */
  readonly sentToUi: unknown[] = [];
  /** Called for every message the plugin posts to its UI (the browser harness relays them to the iframe). */
  deliverToUi?: (message: unknown) => void;
  /** Make createImage fail, to test what a failure leaves behind. */
  createImageError?: Error;
  private selectionListeners: Array<() => void> = [];

  constructor(readonly exporter?: Exporter) {
    this.currentPage = this.addPage('Page 1');
    this.currentPage.loaded = true;
  }

  /** Another page of the file: not loaded until the plugin calls loadAsync() or the user goes there. */
  addPage(name: string): FakePage {
    const page = new FakePage(name, () => queueMicrotask(() => this.selectionListeners.forEach((l) => l())));
    page.loaded = false;
    this.pages.push(page);
    return page;
  }

  /** The user goes to another page; under dynamic-page the one they leave is no longer loaded for the plugin. */
  goToPage(page: FakePage): void {
    this.currentPage.loaded = false;
    this.currentPage = page;
    page.loaded = true;
  }

  readonly ui: PluginHost['ui'] = {
    onmessage: undefined as MessageHandler | undefined,
    postMessage: (message: unknown) => {
      const copy = structuredClone(message);
      this.sentToUi.push(copy);
      queueMicrotask(() => this.deliverToUi?.(copy));
    },
  };

  readonly clientStorage: PluginHost['clientStorage'] = {
    getAsync: async (key: string) => structuredClone(this.storage.get(key)),
    setAsync: async (key: string, value: unknown) => void this.storage.set(key, structuredClone(value)),
  };

  readonly viewport: PluginHost['viewport'] = { scrollAndZoomIntoView: (nodes) => void this.scrolledTo.push([...nodes]) };

  showUI(html: string, options?: ShowUIOptions): void {
    this.shownUi = { html, options };
  }

  notify(message: string, _options?: NotificationOptions): NotificationHandler {
    this.notifications.push(message);
    return { cancel: () => {} };
  }

  on(type: 'selectionchange', callback: () => void): void {
    if (type !== 'selectionchange') throw new Error(`unexpected event ${type}`);
    this.selectionListeners.push(callback);
  }

  createImage(data: Uint8Array): { hash: string } {
    if (this.createImageError) throw this.createImageError;
    const size = readPngSize(data);
    if (!size) throw new Error('Image type is unsupported');
    if (size.width > 4096 || size.height > 4096) throw new Error('Image is too large');
    const hash = `img${this.images.size + 1}`;
    this.images.set(hash, data.slice());
    return { hash };
  }

  createRectangle(): FakeRectangle {
    const rectangle = new FakeRectangle('Rectangle', 100, 100);
    this.currentPage.appendChild(rectangle);
    return rectangle;
  }

  createFrame(): FakeFrame {
    const frame = new FakeFrame('Frame', 100, 100);
    this.currentPage.appendChild(frame);
    return frame;
  }

  group(nodes: ReadonlyArray<HostBaseNode>, parent: FakeParent, index?: number): FakeContainer {
    if (nodes.length === 0) throw new Error('First argument to group() must be an array of at least one node');
    const children = nodes.map((n) => n as FakeNode);
    const left = Math.min(...children.map((n) => n.x));
    const top = Math.min(...children.map((n) => n.y));
    const group = new FakeContainer('GROUP', 'Group', Math.max(...children.map((n) => n.x + n.width)) - left, Math.max(...children.map((n) => n.y + n.height)) - top);
    parent.insertChild(index ?? parent.children.length, group);
    Object.assign(group, { x: left, y: top });
    for (const child of children) group.appendChild(child); // children of a group keep their frame coordinates
    return group;
  }

  async getNodeByIdAsync(id: string): Promise<FakeNode | FakePage | null> {
    const page = this.pages.find((p) => p.id === id);
    if (page) return page;
    const find = (nodes: FakeNode[]): FakeNode | null => {
      for (const node of nodes) {
        if (node.id === id) return node;
        const found = node instanceof FakeContainer ? find(node.children) : null;
        if (found) return found;
      }
      return null;
    };
    for (const p of this.pages) {
      const found = find(p.allChildren);
      if (found) return found;
    }
    return null;
  }

  // ---- test helpers (not part of PluginHost) ----

  /** A message from the UI, as Figma delivers parent.postMessage({ pluginMessage }). */
  sendFromUi(message: unknown): void {
    this.ui.onmessage?.(structuredClone(message), { origin: 'null' });
  }

  /** The plugin's messages to the UI with this name, payloads only. */
  messages<T = any>(name: string): T[] {
    return this.sentToUi.filter((m) => (m as { name?: string }).name === name).map((m) => (m as { payload: T }).payload);
  }

  /** The index-th message with this name the plugin posted (0: the first), waiting for it if need be. */
  async waitForMessage<T = any>(name: string, index = 0, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages(name).length <= index) {
      if (Date.now() > deadline) throw new Error(`no ${name} message within ${timeoutMs} ms; got ${JSON.stringify(this.sentToUi.map((m) => (m as { name: string }).name))}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return this.messages<T>(name)[index];
  }

  frame(name: string, width: number, height: number, parent: FakeParent = this.currentPage, type: 'FRAME' | 'GROUP' | 'SECTION' | 'COMPONENT' | 'INSTANCE' = 'FRAME'): FakeContainer {
    const frame = new FakeContainer(type, name, width, height, this.exporter);
    insertInto(parent, parent.children.length, frame);
    return frame;
  }

  rectangle(name: string, width: number, height: number, parent: FakeParent = this.currentPage): FakeRectangle {
    const rectangle = new FakeRectangle(name, width, height, this.exporter);
    insertInto(parent, parent.children.length, rectangle);
    return rectangle;
  }

  /** The whole page as plain data, to prove that a failed run changed nothing. */
  snapshot(): unknown {
    const describe = (node: FakeNode): unknown => ({
      id: node.id,
      type: node.type,
      name: node.name,
      box: [node.x, node.y, node.width, node.height],
      fills: node instanceof FakeRectangle ? node.fills : undefined,
      data: [...node.pluginData],
      children: node instanceof FakeContainer ? node.children.map(describe) : undefined,
    });
    return JSON.parse(JSON.stringify(this.currentPage.children.map(describe)));
  }
}
