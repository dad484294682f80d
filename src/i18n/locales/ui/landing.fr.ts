/**
 * The home page's strings (fr), loaded with the home page (src/i18n/pageStrings.ts), not with every
 * screen's language bundle (the role names stay in the main bundle: staff screens use them).
 */
export const landingFr = {
  title: 'La file d’attente sur laquelle votre cabinet s’appuie',
  lead: 'QueueMed appelle les patients depuis l’accueil, affiche qui est le suivant sur l’écran de la salle d’attente et permet aux patients de suivre leur place en direct sur leur téléphone — en arabe, français et anglais.',
  demoTitle: 'Essayez le cabinet de démonstration',
  demoLead:
    'Cabinet Médical Anfa, Casablanca. Tous les comptes de démo utilisent le mot de passe ci-dessous.',
  password: 'Mot de passe',
  role: 'Rôle',
  login: 'Identifiant',
  open: 'Ouvrir',
  screens: 'Écrans',
  boardLink: 'Écran de la salle d’attente',
  boardDesc: 'Plein écran pour la télévision de la salle d’attente.',
  trackerLink: 'Le suivi en direct d’un patient',
  trackerDesc: 'Ce qu’Amine voit sur son téléphone — sans connexion.',
  clinicLink: 'Page du cabinet et réservation',
  clinicDesc: 'Réserver : type, jour, créneau libre.',
  directoryLink: 'Annuaire des cliniques',
  directoryDesc: 'Trouver une clinique par nom, ville ou spécialité.',
  kioskLink: 'Borne d’enregistrement',
  kioskDesc: 'Tablette à l’entrée : enregistrement par ticket et derniers chiffres du téléphone.',
  signInAs: 'Se connecter en tant que {{role}}',
  features: {
    live: 'En direct partout',
    liveDesc: 'Un appel à l’accueil s’affiche sur l’écran et le téléphone du patient en moins d’une seconde.',
    fair: 'Équitable par construction',
    fairDesc: 'Les passages sont comptés et plafonnés ; un patient absent a un délai de grâce.',
    lang: 'Arabe, français, anglais',
    langDesc: 'Un vrai affichage de droite à gauche, et des messages dans la langue du patient.',
  },
};
