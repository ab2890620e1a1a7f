/** A data: URL of the bytes, encoded by the browser (FileReader) rather than by a string loop. */
export function bytesToDataUrl(bytes: Uint8Array, mime: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('the image could not be encoded'));
    reader.readAsDataURL(new Blob([bytes as BlobPart], { type: mime }));
  });
}
