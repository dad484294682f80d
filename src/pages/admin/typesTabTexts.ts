/** The types tab's texts and refusal reading (issue 17): they travel with its lazy chunk, not the admin section. */
export interface Texts {
  readonly add: string;
  readonly newName: string;
  readonly minutes: string;
  readonly empty: string;
  readonly emptyHint: string;
  readonly loadFailed: string;
  readonly retry: string;
  /** the edit form (types19): default name, names per language, colour */
  readonly edit: string;
  readonly editTitle: (name: string) => string;
  readonly defaultName: string;
  readonly nameIn: Readonly<Record<'ar' | 'fr' | 'en', string>>;
  readonly nameInHint: string;
  readonly colour: string;
  readonly noColour: string;
  /** the palette's colours by name, in VISIT_TYPE_COLORS' order */
  readonly colours: readonly string[];
  readonly doctors: string;
  readonly doctorsHint: string;
  readonly save: string;
  readonly cancel: string;
  readonly archive: string;
  readonly archiveTitle: (name: string) => string;
  readonly archiveBody: string;
  readonly archived: string;
  readonly restore: string;
  /** set_appointment_types' refusals (details.problem) said next to the field */
  readonly problems: Readonly<
    Record<'name' | 'duplicate' | 'duration' | 'names' | 'color' | 'practitioners', string>
  >;
}
export const TYPES_TEXTS: Record<'ar' | 'fr' | 'en', Texts> = {
  en: {
    add: 'Add type',
    newName: 'New visit type',
    minutes: 'Minutes',
    empty: 'No visit types yet',
    emptyHint: 'Add the first one above: patients choose a type when they book.',
    loadFailed: 'The visit types could not be loaded.',
    retry: 'Try again',
    edit: 'Edit',
    editTitle: (n) => `Edit “${n}”`,
    defaultName: 'Name (default)',
    nameIn: { ar: 'Name in Arabic', fr: 'Name in French', en: 'Name in English' },
    nameInHint: 'Left empty: patients reading that language see the default name.',
    colour: 'Colour',
    noColour: 'No colour',
    colours: ['Blue', 'Cyan', 'Green', 'Yellow', 'Orange', 'Red', 'Pink', 'Violet', 'Grey'],
    doctors: 'Doctors who offer it',
    doctorsHint: 'None ticked: every doctor offers it.',
    save: 'Save',
    cancel: 'Cancel',
    archive: 'Archive',
    archiveTitle: (n) => `Archive “${n}”?`,
    archiveBody:
      'Patients can no longer book it. Visits already booked keep it, and you can restore it at any time.',
    archived: 'Archived',
    restore: 'Restore',
    problems: {
      name: 'Enter a name of 1 to 120 characters.',
      duplicate: 'A visit type with this name already exists.',
      duration: 'The length must be 5 to 480 minutes.',
      names: 'A name per language is at most 120 characters.',
      color: 'Choose a colour from the list.',
      practitioners: 'Choose doctors who are still on the team.',
    },
  },
  fr: {
    add: 'Ajouter le type',
    newName: 'Nouveau type de visite',
    minutes: 'Minutes',
    empty: 'Aucun type de visite',
    emptyHint: 'Ajoutez le premier ci-dessus : les patients choisissent un type en réservant.',
    loadFailed: 'Les types de visite n’ont pas pu être chargés.',
    retry: 'Réessayer',
    edit: 'Modifier',
    editTitle: (n) => `Modifier « ${n} »`,
    defaultName: 'Nom (par défaut)',
    nameIn: { ar: 'Nom en arabe', fr: 'Nom en français', en: 'Nom en anglais' },
    nameInHint: 'Laissé vide : les patients qui lisent cette langue voient le nom par défaut.',
    colour: 'Couleur',
    noColour: 'Sans couleur',
    colours: ['Bleu', 'Cyan', 'Vert', 'Jaune', 'Orange', 'Rouge', 'Rose', 'Violet', 'Gris'],
    doctors: 'Médecins qui le proposent',
    doctorsHint: 'Aucun coché : tous les médecins le proposent.',
    save: 'Enregistrer',
    cancel: 'Annuler',
    archive: 'Archiver',
    archiveTitle: (n) => `Archiver « ${n} » ?`,
    archiveBody:
      'Les patients ne peuvent plus le réserver. Les visites déjà réservées le gardent, et vous pouvez le restaurer à tout moment.',
    archived: 'Archivés',
    restore: 'Restaurer',
    problems: {
      name: 'Saisissez un nom de 1 à 120 caractères.',
      duplicate: 'Un type de visite porte déjà ce nom.',
      duration: 'La durée doit être de 5 à 480 minutes.',
      names: 'Un nom par langue compte au plus 120 caractères.',
      color: 'Choisissez une couleur de la liste.',
      practitioners: 'Choisissez des médecins toujours dans l’équipe.',
    },
  },
  ar: {
    add: 'إضافة النوع',
    newName: 'نوع زيارة جديد',
    minutes: 'دقائق',
    empty: 'لا توجد أنواع زيارات بعد',
    emptyHint: 'أضف النوع الأول أعلاه: يختار المرضى نوعًا عند الحجز.',
    loadFailed: 'تعذّر تحميل أنواع الزيارات.',
    retry: 'أعد المحاولة',
    edit: 'تعديل',
    editTitle: (n) => `تعديل «${n}»`,
    defaultName: 'الاسم (الافتراضي)',
    nameIn: { ar: 'الاسم بالعربية', fr: 'الاسم بالفرنسية', en: 'الاسم بالإنجليزية' },
    nameInHint: 'إذا تُرك فارغًا: يرى المرضى الذين يقرؤون هذه اللغة الاسم الافتراضي.',
    colour: 'اللون',
    noColour: 'بدون لون',
    colours: ['أزرق', 'سماوي', 'أخضر', 'أصفر', 'برتقالي', 'أحمر', 'وردي', 'بنفسجي', 'رمادي'],
    doctors: 'الأطباء الذين يقدّمونه',
    doctorsHint: 'إذا لم تحدّد أحدًا: يقدّمه جميع الأطباء.',
    save: 'حفظ',
    cancel: 'إلغاء',
    archive: 'أرشفة',
    archiveTitle: (n) => `أرشفة «${n}»؟`,
    archiveBody: 'لن يتمكن المرضى من حجزه بعد الآن. تحتفظ الزيارات المحجوزة به، ويمكنك استعادته في أي وقت.',
    archived: 'المؤرشفة',
    restore: 'استعادة',
    problems: {
      name: 'أدخل اسمًا من 1 إلى 120 حرفًا.',
      duplicate: 'يوجد نوع زيارة بهذا الاسم.',
      duration: 'يجب أن تكون المدة من 5 إلى 480 دقيقة.',
      names: 'لا يتجاوز الاسم بكل لغة 120 حرفًا.',
      color: 'اختر لونًا من القائمة.',
      practitioners: 'اختر أطباء ما زالوا في الفريق.',
    },
  },
};

/**
 * The refusal's problem when the screen can say it next to the field — set_appointment_types' `problem`, or
 * the service's own check (zod issues, path `<index>.name` / `<index>.durationMinutes`); else null (a toast).
 */
export function problemOf(e: unknown): keyof Texts['problems'] | null {
  const x = e as { code?: string; details?: { problem?: unknown; issues?: { path?: string }[] } } | null;
  if (x?.code !== 'VALIDATION.FAILED') return null;
  const p = x.details?.problem ?? x.details?.issues?.[0]?.path?.split('.').pop();
  if (p === 'name' || p === 'duplicate' || p === 'names' || p === 'color' || p === 'practitioners') return p;
  if (p === 'duration' || p === 'durationMinutes') return 'duration';
  // the service's own check of one language's name (`<index>.names.ar`) or of the doctors list
  const path = x.details?.issues?.[0]?.path ?? '';
  return path.includes('.names') ? 'names' : path.includes('.practitionerIds') ? 'practitioners' : null;
}
