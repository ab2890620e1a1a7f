import { checkLibraryVersion, type EngineLibrary } from '@pastiche/core';
import { installedVersion } from '../installedVersion.ts';

/**
 * The installed TensorFlow.js package's version, checked against the one this folder was written for
 * (core's ENGINE_LIBRARIES): registerThreadedWasmBackend.ts relies on tfjs-backend-wasm's wasm-out files, the
 * Emscripten module's bindings and its pool's size rule, none of them public API. Returns '<package> <version>'.
 */
export const checkTfjsVersion = (library: Extract<EngineLibrary, `@tensorflow/${string}`>) =>
  checkLibraryVersion(library, installedVersion(library), 'packages/node-runner/src/backend/tfjs');
