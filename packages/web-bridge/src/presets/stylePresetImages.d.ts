// Filled in by the plugins' builds (web-bridge's stylePresetsModule): preset id → the file as a data: URL.
declare module 'pastiche:style-presets' {
  const images: Record<string, string>;
  export default images;
}
