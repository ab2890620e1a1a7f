/**
 * Where the in-page engine fetches onnxruntime-web's WebAssembly binary (27 MB, 6.7 MB gzipped) from:
 * jsDelivr's copy of the npm package, at the exact version bundled (the JavaScript glue inside the worker
 * and the .wasm must match: a test checks). Not inlined: a single-file host would grow from 2.2 MB to
 * about 38 MB for every user, GPU or not, and WebGL paints without it. A host that restricts network
 * access must allow ORT_WEB_ORIGIN; a host may pass another folder as `ortWasmBase`.
 */
export const ORT_WEB_BINARIES = 'https://cdn.jsdelivr.net/npm/onnxruntime-web@1.30.0/dist/';
export const ORT_WEB_ORIGIN = new URL(ORT_WEB_BINARIES).origin;
