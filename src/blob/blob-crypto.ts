// AES-256-GCM envelope for blobs: version byte, 12-byte random nonce, 16-byte tag, ciphertext.
// The Redis key is bound as additional authenticated data, so a ciphertext moved to another key
// does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const BLOB_ENVELOPE_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const BLOB_HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

/** A blob that fails authentication (wrong key, tampered, or another scan's bytes). */
export class BlobDecryptError extends Error {
  constructor() {
    super('The stored blob could not be decrypted (wrong BLOB_KEY or tampered data).');
    this.name = 'BlobDecryptError';
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('BLOB_KEY must be 32 bytes.');
}

/** AES-256-GCM with a random nonce; `aad` binds the blob to its key name. */
export function encryptBlob(key: Buffer, plain: Buffer, aad: string): Buffer {
  checkKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([BLOB_ENVELOPE_VERSION]), nonce, cipher.getAuthTag(), body]);
}

/** Opens a sealed blob; throws BlobDecryptError when it does not authenticate. */
export function decryptBlob(key: Buffer, sealed: Buffer, aad: string): Buffer {
  checkKey(key);
  if (sealed.length < BLOB_HEADER_BYTES || sealed[0] !== BLOB_ENVELOPE_VERSION) throw new BlobDecryptError();
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(1 + NONCE_BYTES, BLOB_HEADER_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(BLOB_HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new BlobDecryptError();
  }
}
