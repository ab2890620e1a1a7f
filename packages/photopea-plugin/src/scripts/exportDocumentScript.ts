import { defineTemplate } from './PhotopeaScript.ts';
import { readNumber, readObject } from './readReply.ts';

/** The whole document as it shows, as a PNG (saveToOE, https://www.photopea.com/api/live). */
export const exportDocumentScript = /* @__PURE__ */ defineTemplate<{ document: string }, { width: number; height: number }>({
  what: 'export the document',
  buffers: 1,
  timeoutMs: 60_000,
  body: `
    var doc = __doc(args.document);
    doc.saveToOE("png");
    return { width: __num(doc.width), height: __num(doc.height) };`,
  read(value) {
    const reply = readObject(value, 'reply');
    return { width: readNumber(reply.width, 'width'), height: readNumber(reply.height, 'height') };
  },
});
