import type { PluginAPI } from '@figma/plugin-typings/plugin-api-standalone.js';
import { startPlugin } from './startPlugin.ts';

// Globals Figma defines in the sandbox. Declared here rather than through the typings' global file, whose
// `fetch`, `setTimeout` and `console` clash with the DOM and Node types the rest of the workspace uses.
declare const figma: PluginAPI;
declare const __html__: string;

startPlugin(figma, __html__);
