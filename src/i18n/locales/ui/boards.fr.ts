/** Paramètres du cabinet → Règles de la file → Écrans d’affichage (board18) ; voir boards.en.ts. */
export const boardsFr = {
  title: 'Écrans d’affichage',
  lead: 'L’écran de la salle d’attente n’affiche les noms des patients (prénom + initiale, si activé ci-dessus) que sur un écran appairé ici. Tout autre écran qui ouvre l’adresse de l’affichage ne montre que les numéros de ticket.',
  roomsHint:
    'Un écran pour certaines salles seulement (une seconde salle d’attente) : ajoutez ?rooms=1,2 à son adresse, avant le # d’un lien d’appairage. Il n’affiche et n’annonce que les appels vers ces salles.',
  label: 'Nom de l’écran',
  labelDefault: 'Écran de la salle d’attente',
  pair: 'Appairer un écran',
  linkTitle: 'Ouvrez ce lien une fois sur l’écran de la salle d’attente',
  linkBody:
    'Il n’est affiché que maintenant. L’écran garde sa clé et la retire de la barre d’adresse. Toute personne ayant ce lien voit les noms : ne l’envoyez pas aux patients.',
  copy: 'Copier le lien',
  copied: 'Lien copié',
  done: 'Terminé',
  paired: 'Écrans appairés',
  none: 'Aucun écran appairé : chaque affichage ne montre que les numéros de ticket.',
  pairedAt: 'appairé le {{at}}',
  revoke: 'Désappairer',
  revoked: 'Désappairé',
  revokedPairerLeft: 'Arrêté : le membre de l’équipe qui l’a appairé est parti ou a été désactivé',
};
