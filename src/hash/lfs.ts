/**
 * Git LFS pointer files (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md): a CI
 * checkout without LFS holds these instead of the content. Their `oid sha256:` *is* the
 * SHA-256 of the content, so it can be compared without the content.
 */
const POINTER_MAX_BYTES = 1024;
const POINTER_RE = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\n(?:[a-z0-9.-]+ [^\n]*\n)*$/;
const OID_RE = /^oid sha256:([0-9a-f]{64})$/m;
const SIZE_RE = /^size (\d+)$/m;

export interface LfsPointer {
  oid: string;
  size: number;
}

export function parseLfsPointer(buf: Uint8Array): LfsPointer | undefined {
  if (buf.length > POINTER_MAX_BYTES) return undefined;
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("latin1");
  if (!POINTER_RE.test(text)) return undefined;
  const oid = OID_RE.exec(text);
  const size = SIZE_RE.exec(text);
  if (!oid || !size) return undefined;
  return { oid: oid[1], size: Number(size[1]) };
}

export function maybeLfsPointer(size: number): boolean {
  return size <= POINTER_MAX_BYTES;
}
