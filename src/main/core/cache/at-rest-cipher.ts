import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/result';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * AES-256-GCM for cache entries at rest: a random 12-byte IV per entry, stored as IV ‖ ciphertext ‖ 16-byte tag.
 * The entry's cache key is the additional authenticated data, so a payload moved onto another row fails to open
 * just like a flipped byte or a wrong key does.
 */
export class AtRestCipher {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== KEY_BYTES) {
      throw new AppError(
        'BAD_INPUT',
        `The cache encryption key must be ${KEY_BYTES} bytes (AES-256), but it is ${key.length} bytes`,
      );
    }
    this.key = Buffer.from(key);
  }

  seal(plaintext: Buffer, aad: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  }

  /** The plaintext, or throws when the blob was altered, belongs to another key or was sealed with another key. */
  open(blob: Uint8Array, aad: string): Buffer {
    if (blob.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted cache entry is truncated');
    const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    const decipher = createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
    return Buffer.concat([decipher.update(buf.subarray(IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
  }
}

/** File name of the cache key in the data folder. */
export const CACHE_KEY_FILE_NAME = 'cache.key';

/**
 * Reads the 32-byte cache key from `file` (64 hex characters), creating it with a random key and owner-only
 * permissions when it does not exist. Losing the file only costs recomputation: undecryptable entries are misses.
 */
export function loadOrCreateCacheKey(file: string): Buffer {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const key = randomBytes(KEY_BYTES);
    try {
      // 'wx' fails if another process created the file meanwhile; then we read theirs below.
      fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      return key;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw new AppError(
      'BAD_INPUT',
      `The cache key file ${file} does not hold a 256-bit key (64 hex characters). Delete it to start an encrypted cache with a new key; entries sealed with the old key will be recomputed.`,
    );
  }
  return Buffer.from(text, 'hex');
}
