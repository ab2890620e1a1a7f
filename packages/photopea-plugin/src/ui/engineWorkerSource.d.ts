// Filled in by the Photopea build (src/build): the in-page engine's worker bundle as text. The panel
// starts it from a Blob URL, which works whatever origin Photopea gives the plugin's frame.
declare module 'pastiche:photopea-engine-worker' {
  const workerSource: string;
  export default workerSource;
}
