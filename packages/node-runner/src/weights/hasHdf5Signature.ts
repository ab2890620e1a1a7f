import { open } from 'node:fs/promises';

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]); // "\x89HDF\r\n\x1a\n"

/**
 * True when the file carries the HDF5 format signature. Per the HDF5 spec the superblock sits at
 * offset 0, 512, 1024, 2048, … (a user block may precede it), so each of those is checked.
 */
export async function hasHdf5Signature(filePath: string): Promise<boolean> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const probe = Buffer.alloc(HDF5_SIGNATURE.length);
    for (let offset = 0; offset + probe.length <= size; offset = offset === 0 ? 512 : offset * 2) {
      const { bytesRead } = await handle.read(probe, 0, probe.length, offset);
      if (bytesRead === probe.length && probe.equals(HDF5_SIGNATURE)) return true;
    }
    return false;
  } finally {
    await handle.close();
  }
}
