// The printed titles and field labels of identity documents in seven languages, and a matcher for
// them that tolerates OCR errors (edit distance, split or merged words, lost accents).
import { distance } from 'fastest-levenshtein';

export type IdDocumentType =
  'passport' | 'identity card' | 'driving licence' | 'residence permit' | 'visa' | 'travel document';

/** Document titles, written without accents in capitals (the matcher folds the text the same way). */
export const TITLES: Readonly<Record<Exclude<IdDocumentType, 'travel document'>, readonly string[]>> = {
  passport: ['PASSPORT', 'PASSEPORT', 'REISEPASS', 'PASAPORTE', 'PASSAPORTO', 'PASPOORT', 'PASSAPORTE'],
  'identity card': [
    'IDENTITY CARD',
    'NATIONAL IDENTITY CARD',
    'CARTE NATIONALE D IDENTITE',
    'CARTE D IDENTITE',
    'PERSONALAUSWEIS',
    'DOCUMENTO NACIONAL DE IDENTIDAD',
    'DOCUMENTO DE IDENTIDAD',
    'CARTA D IDENTITA',
    'CARTA DI IDENTITA',
    'IDENTITEITSKAART',
    'CARTAO DE CIDADAO',
    'BILHETE DE IDENTIDADE',
    'IDENTIFICATION CARD',
    'ASMENS TAPATYBES KORTELE',
  ],
  'driving licence': [
    'DRIVER LICENSE',
    'DRIVERS LICENSE',
    'DRIVER LICENCE',
    'DRIVING LICENCE',
    'DRIVING LICENSE',
    'PERMIS DE CONDUIRE',
    'FUHRERSCHEIN',
    'PERMISO DE CONDUCCION',
    'PERMISO DE CONDUCIR',
    'PATENTE DI GUIDA',
    'RIJBEWIJS',
    'CARTA DE CONDUCAO',
    'INSTRUCTION PERMIT',
  ],
  'residence permit': [
    'RESIDENCE PERMIT',
    'RESIDENCE CARD',
    'PERMANENT RESIDENT',
    'TITRE DE SEJOUR',
    'AUFENTHALTSTITEL',
    'AUFENTHALTSERLAUBNIS',
    'PERMISO DE RESIDENCIA',
    'PERMESSO DI SOGGIORNO',
    'VERBLIJFSVERGUNNING',
    'VERBLIJFSDOCUMENT',
    'VERBLIJFSTITEL',
    'AUTORIZACAO DE RESIDENCIA',
    'TITULO DE RESIDENCIA',
  ],
  visa: ['VISA TYPE', 'TYPE DE VISA', 'VISUM', 'VISTO', 'ENTRIES', 'NUMBER OF ENTRIES', 'NOMBRE D ENTREES'],
};

export type FieldName =
  | 'surname'
  | 'given'
  | 'name'
  | 'birth'
  | 'nationality'
  | 'sex'
  | 'expiry'
  | 'issue'
  | 'birthplace'
  | 'authority'
  | 'number'
  | 'signature'
  | 'address'
  | 'height';

/** Field labels by field, the same seven languages plus the usual bilingual forms. */
export const FIELD_LABELS: Readonly<Record<FieldName, readonly string[]>> = {
  surname: [
    'SURNAME',
    'NOM',
    'NACHNAME',
    'FAMILIENNAME',
    'APELLIDOS',
    'APELLIDO',
    'COGNOME',
    'ACHTERNAAM',
    'APELIDO',
    'APELIDOS',
    'LAST NAME',
    'NOM D USAGE',
    'PAVARDE',
  ],
  given: [
    'GIVEN NAMES',
    'GIVEN NAME',
    'FIRST NAME',
    'FORENAMES',
    'PRENOMS',
    'PRENOM',
    'VORNAMEN',
    'VORNAME',
    'NOMBRE',
    'NOMBRES',
    'NOME',
    'VOORNAMEN',
    'VARDAS',
  ],
  name: ['NAME', 'FULL NAME', 'NAAM'],
  birth: [
    'DATE OF BIRTH',
    'BIRTH DATE',
    'DATE DE NAISSANCE',
    'NE LE',
    'NEE LE',
    'GEBURTSDATUM',
    'GEBOREN AM',
    'FECHA DE NACIMIENTO',
    'DATA DI NASCITA',
    'GEBOORTEDATUM',
    'DATA DE NASCIMENTO',
    'DOB',
  ],
  nationality: [
    'NATIONALITY',
    'NATIONALITE',
    'STAATSANGEHORIGKEIT',
    'NACIONALIDAD',
    'NAZIONALITA',
    'NATIONALITEIT',
    'NACIONALIDADE',
  ],
  sex: ['SEX', 'SEXE', 'GESCHLECHT', 'SEXO', 'SESSO', 'GESLACHT'],
  expiry: [
    'DATE OF EXPIRY',
    'EXPIRY DATE',
    'EXPIRES',
    'DATE D EXPIRATION',
    'VALABLE JUSQU AU',
    'GULTIG BIS',
    'FECHA DE CADUCIDAD',
    'VALIDO HASTA',
    'SCADENZA',
    'GELDIG TOT',
    'VALIDO ATE',
    'EXP',
  ],
  issue: [
    'DATE OF ISSUE',
    'ISSUE DATE',
    'DATE DE DELIVRANCE',
    'DELIVRE LE',
    'AUSSTELLUNGSDATUM',
    'FECHA DE EXPEDICION',
    'FECHA DE EMISION',
    'DATA DI RILASCIO',
    'DATUM VAN AFGIFTE',
    'DATA DE EMISSAO',
    'ISS',
  ],
  birthplace: [
    'PLACE OF BIRTH',
    'LIEU DE NAISSANCE',
    'GEBURTSORT',
    'LUGAR DE NACIMIENTO',
    'LUOGO DI NASCITA',
    'GEBOORTEPLAATS',
    'LOCAL DE NASCIMENTO',
  ],
  authority: [
    'AUTHORITY',
    'ISSUING AUTHORITY',
    'AUTORITE',
    'BEHORDE',
    'AUTORIDAD',
    'AUTORITA',
    'INSTANTIE',
    'ENTIDADE EMISSORA',
  ],
  number: [
    'PASSPORT NO',
    'DOCUMENT NO',
    'DOCUMENT NUMBER',
    'CARD NO',
    'PERSONAL NO',
    'PERSONAL NUMBER',
    'NUMERO DU DOCUMENT',
    'DOKUMENTENNUMMER',
    'PASSNUMMER',
    'NUM SOPORTE',
    'NUMERO DE DOCUMENTO',
    'DOCUMENTNUMMER',
    'NUMERO DOCUMENTO',
    'ID NO',
    'DLN',
    'DL NO',
  ],
  signature: ['SIGNATURE', 'SIGNATURE OF HOLDER', 'UNTERSCHRIFT', 'FIRMA', 'HANDTEKENING', 'ASSINATURA'],
  address: ['ADDRESS', 'ADRESSE', 'ANSCHRIFT', 'DOMICILIO', 'INDIRIZZO', 'ADRES', 'MORADA', 'RESIDENCE'],
  height: ['HEIGHT', 'TAILLE', 'GROSSE', 'ESTATURA', 'STATURA', 'LENGTE', 'ALTURA', 'HGT'],
};

/** One character folded: capitals, no accent; anything not a letter or digit becomes a space. */
function foldChar(c: string): string {
  const base = c.normalize('NFD').charAt(0).toUpperCase();
  return /^[A-Z0-9]$/.test(base) ? base : ' ';
}

/** `s` in capitals without accents or punctuation, the same length (so offsets carry over). */
export function foldText(s: string): string {
  let out = '';
  for (const c of s) out += c.length === 1 ? foldChar(c) : ' '.repeat(c.length);
  return out;
}

export interface Token {
  text: string;
  start: number;
  end: number;
}

/** The words of a folded text with their offsets. */
export function toTokens(folded: string): Token[] {
  return [...folded.matchAll(/[A-Z0-9]+/g)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** Edits a phrase of `n` letters may show and still match: none up to 4, one up to 8, then two. */
export function toleranceFor(n: number): number {
  return n <= 4 ? 0 : n <= 8 ? 1 : 2;
}

/**
 * Where `phrase` (folded) occurs among `tokens`, tolerant of OCR errors: a run of one word more or
 * less than the phrase (OCR splits and merges words), compared with spaces removed.
 */
export function findPhrase(tokens: readonly Token[], phrase: string): Token | undefined {
  const target = phrase.replace(/ /g, '');
  const words = phrase.split(' ').length;
  const tol = toleranceFor(target.length);
  for (let i = 0; i < tokens.length; i++)
    for (let k = Math.max(1, words - 1); k <= words + 1 && i + k <= tokens.length; k++) {
      const run = tokens.slice(i, i + k);
      const joined = run.map((t) => t.text).join('');
      if (Math.abs(joined.length - target.length) > tol) continue;
      // A short label is a word of its own; digits never stand for letters here.
      if (/\d/.test(joined) !== /\d/.test(target)) continue;
      if (distance(joined, target) <= tol)
        return { text: joined, start: run[0]!.start, end: run[run.length - 1]!.end };
    }
  return undefined;
}

/** The first title found in a folded line, with its type. */
export function findTitle(tokens: readonly Token[]): { type: IdDocumentType; at: Token } | undefined {
  for (const [type, phrases] of Object.entries(TITLES) as [IdDocumentType, readonly string[]][])
    for (const p of phrases) {
      const at = findPhrase(tokens, p);
      if (at) return { type, at };
    }
  return undefined;
}

/** Every field label in a folded line, with the field it names. */
export function findFieldLabels(tokens: readonly Token[]): { field: FieldName; at: Token }[] {
  const out: { field: FieldName; at: Token }[] = [];
  for (const [field, phrases] of Object.entries(FIELD_LABELS) as [FieldName, readonly string[]][])
    for (const p of phrases) {
      const at = findPhrase(tokens, p);
      if (at && !out.some((o) => o.at.start < at.end && at.start < o.at.end)) {
        out.push({ field, at });
        break;
      }
    }
  return out.sort((a, b) => a.at.start - b.at.start);
}
