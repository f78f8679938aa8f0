// The vocabulary the code payload classifiers share: the kinds, the classified payload, its context.
import type { Severity } from '../../types.ts';

export type PayloadKind =
  | 'wifi'
  | 'contact'
  | 'email'
  | 'phone'
  | 'sms'
  | 'geo'
  | 'url'
  | 'payment'
  | 'boarding_pass'
  | 'driver_licence'
  | 'ticket'
  | 'otp'
  | 'event'
  | 'product'
  | 'identifier'
  | 'binary'
  | 'text';

export interface CodePayload {
  kind: PayloadKind;
  severity: Severity;
  /** One masked English line; never the full payload or a sensitive value. */
  summary: string;
  /**
   * Non-sensitive facts for rendering in other languages; always carries `payload` (the kind), and
   * `masked` when the summary shows masked values (src/mask.ts).
   */
  details: Record<string, string | number | boolean>;
}

export interface PayloadContext {
  /** zxing format name, e.g. 'QRCode', 'EAN13', 'PDF417'. */
  format: string;
  /** The decoder reported binary content (not text). */
  binary?: boolean;
}
