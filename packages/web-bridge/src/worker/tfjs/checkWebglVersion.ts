import { version_webgl } from '@tensorflow/tfjs-backend-webgl';
import { checkLibraryVersion } from '@pastiche/core';

/**
 * The bundled tfjs-backend-webgl's version (its own export: a bundle has no package.json), checked against the
 * one this folder was written for (core's ENGINE_LIBRARIES). Returns '@tensorflow/tfjs-backend-webgl <version>'.
 */
export const checkWebglVersion = () => checkLibraryVersion('@tensorflow/tfjs-backend-webgl', version_webgl, 'packages/web-bridge/src/worker/tfjs');
