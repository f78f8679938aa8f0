// zxing symbology names: which are 1-D (linear), which are retail products, and their human labels.

/** Retail product symbologies: a plain product number, nothing personal. */
const PRODUCT_FORMATS: ReadonlySet<string> = new Set(['EAN13', 'EAN8', 'UPCA', 'UPCE', 'ISBN']);

/** 1-D (linear) symbologies; everything else we read is a 2-D code. */
const LINEAR_FORMATS: ReadonlySet<string> = new Set([
  'Codabar',
  'Code39',
  'Code39Std',
  'Code39Ext',
  'Code32',
  'PZN',
  'Code93',
  'Code128',
  'ITF',
  'ITF14',
  'DataBar',
  'DataBarOmni',
  'DataBarStk',
  'DataBarStkOmni',
  'DataBarLtd',
  'DataBarExp',
  'DataBarExpStk',
  'EAN13',
  'EAN8',
  'EAN5',
  'EAN2',
  'ISBN',
  'UPCA',
  'UPCE',
  'Telepen',
  'TelepenAlpha',
  'TelepenNumeric',
  'DXFilmEdge',
]);

/** Whether a zxing format is a 1-D (linear) barcode rather than a 2-D code. */
export function isLinearFormat(format: string): boolean {
  return LINEAR_FORMATS.has(format);
}

/** Whether a zxing format is a retail product symbology (EAN, UPC, ISBN). */
export function isProductFormat(format: string): boolean {
  return PRODUCT_FORMATS.has(format);
}

/** A human label for a zxing format name ("EAN13" -> "EAN-13"). */
export function toFormatLabel(format: string): string {
  const labels: Record<string, string> = {
    QRCode: 'QR code',
    MicroQRCode: 'Micro QR code',
    RMQRCode: 'rMQR code',
    DataMatrix: 'Data Matrix',
    Aztec: 'Aztec code',
    PDF417: 'PDF417',
    EAN13: 'EAN-13',
    EAN8: 'EAN-8',
    UPCA: 'UPC-A',
    UPCE: 'UPC-E',
    ISBN: 'ISBN',
    Code128: 'Code 128',
    Code39: 'Code 39',
    Code93: 'Code 93',
    ITF: 'ITF',
  };
  return labels[format] ?? format;
}
