// A user's default face choice, in Redis under an HMAC of their platform id (nothing else stored),
// without expiry, so it survives restarts.
import { createHmac, hkdfSync } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { FacesMode, Platform } from '../types.ts';

/** The secret for hashing user ids: USER_ID_SECRET, or one derived from BLOB_KEY (HKDF-SHA256). */
export function toUserIdSecret(userIdSecret: string | undefined, blobKey: Buffer): Buffer {
  if (userIdSecret) return Buffer.from(userIdSecret, 'utf8');
  return Buffer.from(hkdfSync('sha256', blobKey, Buffer.alloc(0), 'preflight user id', 32));
}

/** A user's id as stored: HMAC-SHA256 of "platform:id", hex. */
export function hashUserId(secret: Buffer, platform: Platform, userId: string | number): string {
  return createHmac('sha256', secret).update(`${platform}:${userId}`).digest('hex');
}

export interface UserSettings {
  defaultFaces(userHash: string): Promise<FacesMode>;
  setDefaultFaces(userHash: string, faces: FacesMode): Promise<void>;
}

const FACES = new Set<string>(['all', 'minors', 'none']);

export function createUserSettings(deps: { redis: Redis; prefix: string }): UserSettings {
  const keyOf = (h: string): string => `${deps.prefix}:user:${h}`;
  return {
    async defaultFaces(h) {
      const v = await deps.redis.get(keyOf(h));
      return v && FACES.has(v) ? (v as FacesMode) : 'all';
    },
    async setDefaultFaces(h, faces) {
      await deps.redis.set(keyOf(h), faces);
    },
  };
}
