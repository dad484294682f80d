/**
 * The tracker's "too many requests from this network, trying again" (sec25; src/pages/tracker/TrackerUnavailable.tsx),
 * fr — loaded only then, in the tracker's lazy chunk.
 */
import type { TrackerBusyStrings } from './trackerBusy.en';

export const trackerBusyFr: TrackerBusyStrings = {
  title: 'Votre visite est bien enregistrée — un instant',
  body: 'De nombreux téléphones de ce réseau consultent leur visite en ce moment. Nous réessayons dans quelques secondes.',
  retry: 'Réessayer maintenant',
};
