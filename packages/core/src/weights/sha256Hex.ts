/** sha256 of bytes as lowercase hex, through WebCrypto (Node ≥ 20 and browsers in secure contexts). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('checking weights integrity needs WebCrypto (crypto.subtle), which this context lacks');
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
