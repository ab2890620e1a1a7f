import { checkLibraryVersion } from '@pastiche/core';
import { installedVersion } from '../installedVersion.ts';

/**
 * onnxruntime-node's installed version, checked against the one this folder was written for (core's
 * ENGINE_LIBRARIES): loadOnnxRuntime.ts and scripts/install-onnxruntime-cuda.mjs rely on where its package puts
 * the provider libraries and on its install script's flag. Returns 'onnxruntime-node <version>'.
 */
export const checkOnnxRuntimeVersion = () => checkLibraryVersion('onnxruntime-node', installedVersion('onnxruntime-node'), 'packages/node-runner/src/backend/onnxruntime');
