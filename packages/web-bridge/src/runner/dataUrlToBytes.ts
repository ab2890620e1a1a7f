/** `data:image/png;base64,…` (the runner's previews) → the file's bytes. */
export function dataUrlToBytes(url: string): { bytes: Uint8Array; mime: string } {
  const match = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(url);
  if (!match || !match[2]) throw new Error('expected a base64 data: URL');
  const binary = atob(match[3]);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { bytes, mime: match[1] };
}
