// Every user-facing sentence of the report, in English. fr.ts has the same keys (checked by the type).
import type { CheckFailureReason, ErrorCode } from '../errors.ts';
import type { CheckName, FacesMode, FindingKind, Verdict } from '../types.ts';

export interface Messages {
  verdict: Record<Verdict, string>;
  headline: Record<Verdict, string>;
  kind: Record<FindingKind, string>;
  checked: string;
  /** What a QR code or barcode carries, by `details.payload`. */
  codePayload: Record<string, string>;
  possibly: string;
  faces: (n: number) => string;
  minors: (n: number, ages: number[]) => string;
  gps: (lat: number, lon: number, accuracyM: number | undefined) => string;
  gpsEmpty: string;
  camera: (name: string) => string;
  serial: string;
  takenOn: (when: string, tz: string | undefined) => string;
  thumbnail: (differs: boolean) => string;
  metaNames: (tagged: boolean) => string;
  metaPlaces: string;
  metaText: string;
  metaSoftware: string;
  removed: {
    metadata_removed: string;
    orientation_applied: string;
    face_obscured: (n: number) => string;
    text_covered: (n: number) => string;
    code_covered: (n: number) => string;
    downscaled: string;
    converted: (from: string, to: string) => string;
  };
  sections: { found: string; removed: string; remains: string; notChecked: string; advice: string };
  /** Document types (details.documentType), capitalised, as a line starts with them. */
  documentType: Record<string, string>;
  /** "Driving licence (back)", the side only when known to be the back. */
  /** `side`: 'back', 'both' (a card's two sides in one picture) or anything else for the front. */
  documentLine: (type: string, side: string) => string;
  /** The removed line of a document covered whole. */
  documentCovered: (type: string) => string;
  /** Under "Still in the cleaned copy" when a covered document runs out of the photo. */
  documentUnbounded: (type: string) => string;
  /** A re-scan read text inside a document the copy covered. */
  documentLeftover: (type: string, lines: number) => string;
  /** A work document, by details.workKind (confidential, code, slides, spreadsheet). */
  /** A national_id finding that is a document's own number. */
  documentNumber: string;
  workDocument: (kind: string) => string;
  personalDocument: string;
  nothingRemains: string;
  /** `note`: the line's certainty word ("possibly"), folded into the same brackets. */
  stillVisible: (line: string, note?: string) => string;
  noCopy: string;
  /** One sentence per check that failed or timed out. */
  notChecked: Record<CheckName, string>;
  /** Instead of notChecked's sentence, when a check failed for a known reason. */
  checkFailed: Record<CheckFailureReason, string>;
  recompressed: string;
  advice: {
    shareCopy: string;
    child: string;
    id: string;
    gps: string;
    card: string;
    work: string;
    code: string;
    review: string;
    none: string;
    aiService: string;
  };
  errors: Record<ErrorCode, string>;
  /** The face choices, "Show where", /settings and what /privacy says about them. */
  choices: {
    /** Button labels. */
    button: Record<FacesMode, string>;
    where: string;
    /** The copy's caption for each choice. */
    caption: Record<FacesMode, string>;
    minorVisible: string;
    whereCaption: string;
    expired: string;
    notYours: string;
    /** The line under the summary that says the buttons exist. */
    hint: string;
    settingsIntro: (current: string) => string;
    settingsSaved: (chosen: string) => string;
    /** What is kept for the buttons, and for how long (in /privacy). */
    privacy: (minutes: number) => string;
    /** Sent privately to the author of a group photo the bot replaced. */
    groupPrivate: string;
  };
}

export const en: Messages = {
  verdict: {
    high: 'High risk',
    medium: 'Medium risk',
    low: 'Low risk',
    none: 'Nothing found',
    review: 'Check it yourself',
  },
  headline: {
    high: '⚠️ High risk: this photo gives away something you should not share as it is.',
    medium: '⚠️ Some personal details in this photo.',
    low: 'Low risk: only minor details found.',
    none: '✅ Nothing sensitive found.',
    review: '⚠️ We could not check everything in this photo: look at it yourself before sharing it.',
  },
  kind: {
    gps: 'Location where the photo was taken',
    device: 'Camera or phone details',
    timestamp: 'Date and time the photo was taken',
    person_name_metadata: 'A name hidden in the file',
    embedded_thumbnail: 'A hidden preview image',
    other_metadata: 'Other hidden details',
    face: 'Face',
    possible_minor: 'May show a child',
    id_document: 'An identity document',
    mrz: 'The machine-readable lines of an ID document',
    national_id: 'A national ID number',
    date_of_birth: 'A date of birth',
    email: 'An e-mail address',
    phone: 'A phone number',
    card_number: 'A payment card number',
    iban: 'A bank account number (IBAN)',
    address: 'A postal address',
    person_name: "A person's name",
    qr_code: 'A QR code',
    barcode: 'A barcode',
    document: 'A document (dense printed text)',
    screen: 'A screen or screenshot',
    location_clue: 'Visible clues to a place (street, house number or plate)',
  },
  checked: 'checked',
  codePayload: {
    wifi: 'a Wi-Fi network and its password',
    contact: 'a contact card (name, phone, e-mail)',
    email: 'an e-mail address',
    phone: 'a phone number',
    sms: 'a text message and its number',
    geo: 'a map position',
    url: 'a web link',
    payment: 'payment details',
    boarding_pass: 'a boarding pass (name, booking)',
    driver_licence: "a driving licence's data",
    ticket: 'a ticket',
    otp: 'a two-factor login secret',
    event: 'a calendar event',
    product: 'a product number',
    identifier: 'an identifier (parcel, ticket or account number)',
    text: 'some text',
    binary: 'binary data',
  },
  possibly: 'possibly',
  faces: (n) => (n === 1 ? '1 face' : `${n} faces`),
  minors: (n, ages) =>
    `${n === 1 ? 'May show a child' : `${n} faces may be children's`}${ages.length > 0 ? ` (estimated age ${ages.join(', ')}; age estimates are rough)` : ''}`,
  gps: (lat, lon, acc) =>
    `Location where the photo was taken: ${lat.toFixed(3)}, ${lon.toFixed(3)}${acc !== undefined ? ` (precise to about ${acc < 1000 ? `${acc} m` : `${(acc / 1000).toFixed(1)} km`}${acc <= 100 ? ': enough to find the building' : acc <= 2000 ? ': enough to find the neighbourhood' : ''})` : ''}`,
  gpsEmpty: 'Location fields are present but empty',
  camera: (name) => `Camera or phone: ${name}`,
  serial: "The camera's serial number",
  takenOn: (when, tz) => `Taken on ${when}${tz ? ` (time zone ${tz})` : ''}`,
  thumbnail: (differs) =>
    differs
      ? 'A hidden preview image that differs from the photo (it may show what was cropped or edited out)'
      : 'A hidden preview copy of the photo inside the file',
  metaNames: (tagged) =>
    tagged
      ? 'Names of people tagged in the photo, hidden in the file'
      : 'A name (owner or author) hidden in the file',
  metaPlaces: 'Place names hidden in the file',
  metaText: 'Comments, keywords or descriptions hidden in the file',
  metaSoftware: 'The software that wrote the file (phone system or editor version)',
  removed: {
    metadata_removed: 'All hidden details (location, camera, dates, names)',
    orientation_applied: 'Rotation applied to the pixels',
    face_obscured: (n) => (n === 1 ? '1 face pixelated' : `${n} faces pixelated`),
    text_covered: (n) => (n === 1 ? '1 piece of text covered' : `${n} pieces of text covered`),
    code_covered: (n) => (n === 1 ? '1 code covered' : `${n} codes covered`),
    downscaled: 'Size reduced',
    converted: (from, to) => `Converted from ${from.toUpperCase()} to ${to.toUpperCase()}`,
  },
  sections: {
    found: 'What we found',
    removed: 'Removed in the cleaned copy',
    remains: 'Still in the cleaned copy',
    notChecked: 'Not checked',
    advice: 'Advice',
  },
  documentType: {
    passport: 'Passport',
    'identity card': 'Identity card',
    'driving licence': 'Driving licence',
    'residence permit': 'Residence permit',
    visa: 'Visa',
    'travel document': 'Identity document',
    'payment card': 'Payment card',
  },
  documentLine: (type, side) =>
    `${type}${side === 'back' ? ' (back)' : side === 'both' ? ' (front and back)' : ''}`,
  documentCovered: (type) => `${type}: all printed details covered`,
  documentUnbounded: (type) =>
    `Parts of the ${type.toLowerCase()} may still be readable: it runs out of the photo, so we could not cover all of it`,
  documentLeftover: (type, lines) =>
    `${type}: ${lines === 1 ? '1 line of text is' : `${lines} lines of text are`} still readable on the covered document`,
  documentNumber: 'A document number',
  workDocument: (kind) =>
    `A work document (${kind === 'confidential' ? 'marked confidential or internal' : kind === 'code' ? 'code or a terminal' : kind === 'app' ? 'a work application' : kind === 'slides' ? 'a slide deck' : 'a data table'})`,
  personalDocument: 'A personal document (a name with an address, a birth date or an account number)',
  nothingRemains: 'Nothing we can detect.',
  stillVisible: (line, note) => (note ? `${line} (${note}, still visible)` : `${line} (still visible)`),
  noCopy: 'We could not make a cleaned copy of this photo.',
  notChecked: {
    metadata: 'We could not read the hidden details (metadata) of this image.',
    faces: 'We could not check this image for faces.',
    text: 'We could not check the text in this image.',
    codes: 'We could not check this image for QR codes and barcodes.',
    sanitize: 'We could not make the cleaned copy.',
    verify: 'We could not re-check the cleaned copy: look at it before sharing it.',
  },
  checkFailed: {
    damaged_metadata:
      'The hidden details (metadata) of this image are damaged: we could not read all of them. The cleaned copy has none.',
  },
  recompressed:
    'Hidden details such as the location could not be checked: the app compressed the photo and removed them before we received it. The original on your phone still has them. Send the photo as a file to check it.',
  advice: {
    shareCopy: 'If you share it, share the cleaned copy, not the original.',
    child: "Think twice before giving children's faces to an AI service: you cannot take them back.",
    id: 'Do not send identity papers to an AI service at all, not even the cleaned copy: a document’s layout, portrait and security features identify it on their own.',
    gps: "Your phone records where each photo is taken: you can turn this off in the camera's settings.",
    work: 'Work documents (anything confidential, internal, code, client data) should not go to an AI service your employer has not approved.',
    card: 'Card and bank numbers can be used for fraud: keep them out of photos.',
    code: 'A QR code or barcode can carry more than it shows (passwords, contacts, bookings).',
    review: 'Some checks did not finish: look at the photo yourself before sharing it.',
    none: 'We did not find anything, but no check is perfect: have a quick look yourself.',
    aiService:
      'An AI service may keep what you send it and use it for training unless you turn that off in its settings (or use a temporary chat); many have a privacy page where you can see or delete what they stored.',
  },
  errors: {
    empty_input: 'The file is empty.',
    unsupported_format:
      'This file is not an image we can read. Send a JPEG, PNG, WebP, HEIC, AVIF, TIFF or GIF.',
    corrupt_image: 'The image is damaged or incomplete, so we could not check it.',
    file_too_large: 'The file is too large for us to check.',
    too_many_pixels: 'The image has too many pixels for us to check.',
    bad_dimensions: 'The image is too wide or too tall for us to check.',
    download_failed: 'We could not download the image. Please send it again.',
    not_an_image: 'This is not a photo. Send a photo or an image file.',
    rate_limited: 'You have sent a lot of photos in a short time. Please wait a minute and try again.',
    queue_busy: 'We are busy right now. Please try again in a minute.',
    queue_unavailable: 'The checking service is unavailable right now. Please try again in a few minutes.',
    blob_expired: 'This took too long and we deleted your photo as promised. Please send it again.',
    scan_failed: 'Something went wrong while checking this photo. It has been deleted; please try again.',
    internal: 'Something went wrong on our side. Please try again.',
  },
  choices: {
    button: { all: 'Pixelate all faces', minors: "Keep adults' faces", none: 'Keep all faces' },
    where: 'Show where',
    caption: {
      all: 'Cleaned copy: all faces pixelated.',
      minors: "Cleaned copy: adults' faces kept; faces that may be a child's stay pixelated.",
      none: 'Cleaned copy: all faces kept.',
    },
    minorVisible: 'A child may be visible in this copy.',
    whereCaption: 'Where we found it: the numbers match the lines of the summary.',
    expired: 'This has expired — send the photo again.',
    notYours: 'Only the person who sent this photo can change its copy.',
    hint: 'Use the buttons under the copy to keep faces or to see where we found each item.',
    settingsIntro: (current) =>
      `Which faces should the cleaned copy keep by default? Now: ${current}. Text, codes and hidden details are always cleaned.`,
    settingsSaved: (chosen) => `Saved. Your next photos start with: ${chosen}.`,
    privacy: (minutes) =>
      `For the buttons under a copy, we keep the cleaned copies (one per face choice) and the "Show where" picture, encrypted, for at most ${minutes} minutes, then delete them; never the original. Your default face choice is stored under a scrambled form of your user id, with nothing else.`,
    groupPrivate:
      'Your photo was replaced where you posted it by a copy with all faces pixelated. Here you can pick another copy for yourself.',
  },
};
