/**
 * Where the in-page engine fetches onnxruntime-web's WebAssembly binary (27 MB, 6.7 MB compressed) from:
 * jsDelivr's copy of the npm package, at the exact version bundled (the JavaScript glue inside the worker
 * and the .wasm must match). Not inlined: it would quadruple the Figma plugin's single HTML file, and the
 * tfjs backends still paint without it. Hosts that allow network access must allow ORT_WEB_ORIGIN (the
 * Figma manifest does); a host may pass another folder as `ortWasmBase`.
 */
export const ORT_WEB_VERSION = '1.30.0';
export const ORT_WEB_BINARIES = `https://cdn.jsdelivr.net/npm/onnxruntime-web@${ORT_WEB_VERSION}/dist/`;
export const ORT_WEB_ORIGIN = new URL(ORT_WEB_BINARIES).origin;
