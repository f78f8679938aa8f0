// Toutes les phrases du rapport, en français. Mêmes clés que en.ts (vérifié par le type).
import type { Messages } from './en.ts';

const n2 = (n: number, one: string, many: string): string => (n === 1 ? `1 ${one}` : `${n} ${many}`);

export const fr: Messages = {
  verdict: {
    high: 'Risque élevé',
    medium: 'Risque moyen',
    low: 'Risque faible',
    none: 'Rien trouvé',
    review: 'À vérifier vous-même',
  },
  headline: {
    high: '⚠️ Risque élevé : cette photo révèle quelque chose qu’il ne faut pas partager tel quel.',
    medium: '⚠️ Cette photo contient des informations personnelles.',
    low: 'Risque faible : seulement des détails mineurs.',
    none: '✅ Rien de sensible trouvé.',
    review:
      '⚠️ Nous n’avons pas pu tout vérifier dans cette photo : regardez-la vous-même avant de la partager.',
  },
  kind: {
    gps: 'Lieu où la photo a été prise',
    device: 'Informations sur l’appareil photo ou le téléphone',
    timestamp: 'Date et heure de la prise de vue',
    person_name_metadata: 'Un nom caché dans le fichier',
    embedded_thumbnail: 'Un aperçu caché',
    other_metadata: 'Autres informations cachées',
    face: 'Visage',
    possible_minor: 'Peut montrer un enfant',
    id_document: 'Une pièce d’identité',
    mrz: 'Les lignes lisibles par machine d’une pièce d’identité',
    national_id: 'Un numéro d’identification national',
    date_of_birth: 'Une date de naissance',
    email: 'Une adresse e-mail',
    phone: 'Un numéro de téléphone',
    card_number: 'Un numéro de carte bancaire',
    iban: 'Un numéro de compte bancaire (IBAN)',
    address: 'Une adresse postale',
    person_name: 'Le nom d’une personne',
    qr_code: 'Un QR code',
    barcode: 'Un code-barres',
    document: 'Un document (texte imprimé dense)',
    screen: 'Un écran ou une capture d’écran',
    location_clue: 'Des indices visibles sur un lieu (rue, numéro, plaque)',
  },
  checked: 'vérifié',
  codePayload: {
    wifi: 'un réseau Wi-Fi et son mot de passe',
    contact: 'une fiche contact (nom, téléphone, e-mail)',
    email: 'une adresse e-mail',
    phone: 'un numéro de téléphone',
    sms: 'un SMS et son numéro',
    geo: 'une position sur une carte',
    url: 'un lien web',
    payment: 'des coordonnées de paiement',
    boarding_pass: 'une carte d’embarquement (nom, réservation)',
    driver_licence: 'les données d’un permis de conduire',
    ticket: 'un billet',
    otp: 'une clé de connexion à double authentification',
    event: 'un événement d’agenda',
    product: 'un numéro de produit',
    identifier: 'un identifiant (colis, billet ou compte)',
    text: 'du texte',
    binary: 'des données binaires',
  },
  possibly: 'peut-être',
  faces: (n) => n2(n, 'visage', 'visages'),
  minors: (n, ages) =>
    `${n === 1 ? 'Peut montrer un enfant' : `${n} visages peuvent être des enfants`}${ages.length > 0 ? ` (âge estimé ${ages.join(', ')} ; estimation approximative)` : ''}`,
  gps: (lat, lon, acc) =>
    `Lieu de la prise de vue : ${lat.toFixed(3).replace('.', ',')} ; ${lon.toFixed(3).replace('.', ',')}${acc !== undefined ? ` (précis à environ ${acc < 1000 ? `${acc} m` : `${(acc / 1000).toFixed(1).replace('.', ',')} km`}${acc <= 100 ? ' : assez pour retrouver le bâtiment' : acc <= 2000 ? ' : assez pour retrouver le quartier' : ''})` : ''}`,
  gpsEmpty: 'Des champs de localisation sont présents mais vides',
  camera: (name) => `Appareil : ${name}`,
  serial: 'Le numéro de série de l’appareil',
  takenOn: (when, tz) => `Prise le ${when}${tz ? ` (fuseau horaire ${tz})` : ''}`,
  thumbnail: (differs) =>
    differs
      ? 'Un aperçu caché différent de la photo (il peut montrer ce qui a été recadré ou retouché)'
      : 'Une copie miniature de la photo cachée dans le fichier',
  metaNames: (tagged) =>
    tagged
      ? 'Les noms de personnes identifiées sur la photo, cachés dans le fichier'
      : 'Un nom (propriétaire ou auteur) caché dans le fichier',
  metaPlaces: 'Des noms de lieux cachés dans le fichier',
  metaText: 'Des commentaires, mots-clés ou descriptions cachés dans le fichier',
  metaSoftware: 'Le logiciel qui a produit le fichier (version du téléphone ou du logiciel de retouche)',
  removed: {
    metadata_removed: 'Toutes les informations cachées (lieu, appareil, dates, noms)',
    orientation_applied: 'Rotation appliquée aux pixels',
    face_obscured: (n) => (n === 1 ? '1 visage pixelisé' : `${n} visages pixelisés`),
    text_covered: (n) => (n === 1 ? '1 texte masqué' : `${n} textes masqués`),
    code_covered: (n) => (n === 1 ? '1 code masqué' : `${n} codes masqués`),
    downscaled: 'Taille réduite',
    converted: (from, to) => `Converti de ${from.toUpperCase()} en ${to.toUpperCase()}`,
  },
  sections: {
    found: 'Ce que nous avons trouvé',
    removed: 'Retiré de la copie nettoyée',
    remains: 'Encore présent dans la copie nettoyée',
    notChecked: 'Non vérifié',
    advice: 'Conseils',
  },
  documentType: {
    passport: 'Passeport',
    'identity card': 'Carte d’identité',
    'driving licence': 'Permis de conduire',
    'residence permit': 'Titre de séjour',
    visa: 'Visa',
    'travel document': 'Pièce d’identité',
    'payment card': 'Carte bancaire',
  },
  documentLine: (type, side) =>
    `${type}${side === 'back' ? ' (verso)' : side === 'both' ? ' (recto et verso)' : ''}`,
  documentCovered: (type) => `${type} : toutes les mentions imprimées masquées`,
  documentUnbounded: (type) =>
    `${type} : certaines parties peuvent encore être lisibles (le document dépasse du cadre, nous n’avons pas pu tout masquer)`,
  documentLeftover: (type, lines) =>
    `${type} : ${lines === 1 ? '1 ligne de texte reste lisible' : `${lines} lignes de texte restent lisibles`} sur le document masqué`,
  documentNumber: 'Un numéro de document',
  workDocument: (kind) =>
    `Un document professionnel (${kind === 'confidential' ? 'marqué confidentiel ou interne' : kind === 'code' ? 'du code ou un terminal' : kind === 'app' ? 'une application professionnelle' : kind === 'slides' ? 'une présentation' : 'un tableau de données'})`,
  personalDocument:
    'Un document personnel (un nom avec une adresse, une date de naissance ou un numéro de compte)',
  nothingRemains: 'Rien que nous puissions détecter.',
  stillVisible: (line, note) => (note ? `${line} (${note}, toujours visible)` : `${line} (toujours visible)`),
  noCopy: 'Nous n’avons pas pu faire de copie nettoyée de cette photo.',
  notChecked: {
    metadata: 'Nous n’avons pas pu lire les informations cachées (métadonnées) de cette image.',
    faces: 'Nous n’avons pas pu chercher les visages dans cette image.',
    text: 'Nous n’avons pas pu vérifier le texte de cette image.',
    codes: 'Nous n’avons pas pu chercher les QR codes et codes-barres dans cette image.',
    sanitize: 'Nous n’avons pas pu faire la copie nettoyée.',
    verify: 'Nous n’avons pas pu revérifier la copie nettoyée : regardez-la avant de la partager.',
  },
  checkFailed: {
    damaged_metadata:
      'Les informations cachées (métadonnées) de cette image sont abîmées : nous n’avons pas pu toutes les lire. La copie nettoyée n’en contient aucune.',
  },
  recompressed:
    'Les informations cachées comme le lieu n’ont pas pu être vérifiées : l’application a compressé la photo et les a retirées avant de nous l’envoyer. L’original sur votre téléphone les contient encore. Envoyez la photo en tant que fichier pour la vérifier.',
  advice: {
    shareCopy: 'Si vous la partagez, partagez la copie nettoyée, pas l’original.',
    child:
      'Réfléchissez avant de confier le visage d’un enfant à un service d’IA : on ne peut pas le reprendre.',
    id: 'N’envoyez pas du tout de pièce d’identité à un service d’IA, pas même la copie nettoyée : la mise en page, la photo et les sécurités d’un document suffisent à l’identifier.',
    gps: 'Votre téléphone enregistre le lieu de chaque photo : vous pouvez le désactiver dans les réglages de l’appareil photo.',
    work: 'Les documents professionnels (confidentiels, internes, du code, des données clients) ne doivent pas aller à un service d’IA que votre employeur n’a pas approuvé.',
    card: 'Les numéros de carte et de compte peuvent servir à des fraudes : gardez-les hors des photos.',
    code: 'Un QR code ou un code-barres peut contenir plus qu’il n’y paraît (mots de passe, contacts, réservations).',
    review: 'Certaines vérifications n’ont pas abouti : regardez la photo vous-même avant de la partager.',
    none: 'Nous n’avons rien trouvé, mais aucune vérification n’est parfaite : jetez-y un œil.',
    aiService:
      'Un service d’IA peut garder ce que vous lui envoyez et s’en servir pour l’entraînement, sauf si vous le désactivez dans ses réglages (ou utilisez une discussion temporaire) ; beaucoup ont une page de confidentialité où voir ou supprimer ce qu’ils ont gardé.',
  },
  errors: {
    empty_input: 'Le fichier est vide.',
    unsupported_format:
      'Ce fichier n’est pas une image que nous savons lire. Envoyez un JPEG, PNG, WebP, HEIC, AVIF, TIFF ou GIF.',
    corrupt_image: 'L’image est abîmée ou incomplète : nous n’avons pas pu la vérifier.',
    file_too_large: 'Le fichier est trop lourd pour être vérifié.',
    too_many_pixels: 'L’image a trop de pixels pour être vérifiée.',
    bad_dimensions: 'L’image est trop large ou trop haute pour être vérifiée.',
    download_failed: 'Nous n’avons pas pu télécharger l’image. Merci de la renvoyer.',
    not_an_image: 'Ce n’est pas une photo. Envoyez une photo ou un fichier image.',
    rate_limited: 'Vous avez envoyé beaucoup de photos en peu de temps. Attendez une minute et réessayez.',
    queue_busy: 'Nous sommes très sollicités. Réessayez dans une minute.',
    queue_unavailable: 'Le service de vérification est indisponible. Réessayez dans quelques minutes.',
    blob_expired:
      'Cela a pris trop de temps et nous avons supprimé votre photo comme promis. Merci de la renvoyer.',
    scan_failed: 'Un problème est survenu pendant la vérification. La photo a été supprimée ; réessayez.',
    internal: 'Un problème est survenu de notre côté. Réessayez.',
  },
  choices: {
    button: {
      all: 'Flouter tous les visages',
      minors: 'Garder les visages d’adultes',
      none: 'Garder tous les visages',
    },
    where: 'Montrer où',
    caption: {
      all: 'Copie nettoyée : tous les visages floutés.',
      minors:
        'Copie nettoyée : visages d’adultes gardés ; ceux qui pourraient être d’enfants restent floutés.',
      none: 'Copie nettoyée : tous les visages gardés.',
    },
    minorVisible: 'Un enfant est peut-être visible sur cette copie.',
    whereCaption: 'Où nous l’avons trouvé : les numéros sont ceux des lignes du résumé.',
    expired: 'C’est expiré — renvoyez la photo.',
    notYours: 'Seule la personne qui a envoyé cette photo peut changer sa copie.',
    hint: 'Les boutons sous la copie permettent de garder des visages ou de voir où nous avons trouvé chaque élément.',
    settingsIntro: (current) =>
      `Quels visages la copie nettoyée doit-elle garder par défaut ? Actuellement : ${current}. Le texte, les codes et les informations cachées sont toujours nettoyés.`,
    settingsSaved: (chosen) => `Enregistré. Vos prochaines photos commencent par : ${chosen}.`,
    privacy: (minutes) =>
      `Pour les boutons sous une copie, nous gardons les copies nettoyées (une par choix de visages) et l’image « Montrer où », chiffrées, ${minutes} minutes au plus, puis nous les supprimons ; jamais l’original. Votre choix de visages par défaut est enregistré sous une forme brouillée de votre identifiant, sans rien d’autre.`,
    groupPrivate:
      'Votre photo a été remplacée, là où vous l’avez publiée, par une copie où tous les visages sont floutés. Ici, vous pouvez choisir une autre copie pour vous.',
  },
};
