/**
 * The Privacy tab's texts (issue 19: retention, erasure on request), in ar / fr / en. They ship in the tab's
 * own lazy chunk, not in the language bundle every screen loads. fr and ar are typed against en: a missing
 * key is a type error. `{{x}}` placeholders are filled by `fill` (../reports/strings).
 */
export const en = {
  loading: 'Loading…',
  ownerOnly: 'Only the clinic’s owner can change how long data is kept or erase a patient.',
  retention: {
    title: 'How long patient data is kept',
    explain:
      'Every night, visits older than this period lose the patient’s name, phone number and free-text reasons; patients with no newer visit are anonymised. Reports keep their anonymous counts.',
    now: 'Now: {{what}}',
    keepAll: 'everything is kept',
    days: '{{n}} days',
    label: 'Retention period (days)',
    hint: 'From 30 to 3650 days. Leave empty to keep everything.',
    save: 'Save period',
    saved: 'Retention period saved.',
  },
  erase: {
    title: 'Erase a patient on request',
    explain:
      'A patient may ask for their data to be deleted (law 09-08, GDPR). Their name, phone, account link and notes are removed everywhere; visits still ahead are cancelled; reports keep anonymous counts. This cannot be undone.',
    search: 'Find the patient (name, phone or ticket)',
    searchHint: 'At least 2 characters.',
    none: 'No patient matches.',
    lastVisit: 'last visit {{day}} ({{ticket}})',
    noVisit: 'no visit',
    action: 'Erase…',
    actionFor: 'Erase {{name}}',
    dialogTitle: 'Erase {{name}}?',
    dialogText:
      'This removes {{name}}’s name, phone number, account link and notes from every visit and message, and cancels their visits still ahead. It cannot be undone. The audit trail records that you did it, without the name.',
    reason: 'Reason (optional, kept in the audit trail)',
    confirmLabel: 'Type the patient’s name to confirm: {{name}}',
    confirm: 'Erase for good',
    done: '{{name}} was erased (visits kept without a name: {{visits}}; cancelled: {{cancelled}}).',
  },
};
export type PrivacyStrings = typeof en;

export const fr: PrivacyStrings = {
  loading: 'Chargement…',
  ownerOnly: 'Seul le titulaire du cabinet peut changer la durée de conservation ou effacer un patient.',
  retention: {
    title: 'Durée de conservation des données des patients',
    explain:
      'Chaque nuit, les visites plus anciennes que cette durée perdent le nom, le téléphone et les motifs écrits du patient ; les patients sans visite plus récente sont anonymisés. Les rapports gardent leurs comptes anonymes.',
    now: 'Actuellement : {{what}}',
    keepAll: 'tout est conservé',
    days: '{{n}} jours',
    label: 'Durée de conservation (jours)',
    hint: 'De 30 à 3650 jours. Laissez vide pour tout conserver.',
    save: 'Enregistrer la durée',
    saved: 'Durée de conservation enregistrée.',
  },
  erase: {
    title: 'Effacer un patient à sa demande',
    explain:
      'Un patient peut demander l’effacement de ses données (loi 09-08, RGPD). Son nom, son téléphone, le lien à son compte et les notes sont supprimés partout ; ses visites à venir sont annulées ; les rapports gardent des comptes anonymes. C’est irréversible.',
    search: 'Trouver le patient (nom, téléphone ou ticket)',
    searchHint: 'Au moins 2 caractères.',
    none: 'Aucun patient ne correspond.',
    lastVisit: 'dernière visite {{day}} ({{ticket}})',
    noVisit: 'aucune visite',
    action: 'Effacer…',
    actionFor: 'Effacer {{name}}',
    dialogTitle: 'Effacer {{name}} ?',
    dialogText:
      'Le nom, le téléphone, le lien au compte et les notes de {{name}} seront retirés de toutes les visites et de tous les messages, et ses visites à venir annulées. C’est irréversible. Le journal d’audit note que vous l’avez fait, sans le nom.',
    reason: 'Motif (facultatif, gardé dans le journal d’audit)',
    confirmLabel: 'Tapez le nom du patient pour confirmer : {{name}}',
    confirm: 'Effacer définitivement',
    done: '{{name}} a été effacé (visites gardées sans nom : {{visits}} ; annulées : {{cancelled}}).',
  },
};

export const ar: PrivacyStrings = {
  loading: 'جارٍ التحميل…',
  ownerOnly: 'وحده مالك العيادة يمكنه تغيير مدة حفظ البيانات أو محو بيانات مريض.',
  retention: {
    title: 'مدة حفظ بيانات المرضى',
    explain:
      'كل ليلة، تفقد الزيارات الأقدم من هذه المدة اسم المريض ورقم هاتفه والأسباب المكتوبة؛ ويُجهَّل المرضى الذين ليست لهم زيارة أحدث. تحتفظ التقارير بأعدادها مجهولة الهوية.',
    now: 'حاليًا: {{what}}',
    keepAll: 'يُحفظ كل شيء',
    days: '{{n}} يومًا',
    label: 'مدة الحفظ (بالأيام)',
    hint: 'من 30 إلى 3650 يومًا. اتركه فارغًا لحفظ كل شيء.',
    save: 'حفظ المدة',
    saved: 'حُفظت مدة الحفظ.',
  },
  erase: {
    title: 'محو بيانات مريض بطلب منه',
    explain:
      'يحق للمريض طلب محو بياناته (القانون 09-08، اللائحة الأوروبية لحماية البيانات). يُحذف اسمه وهاتفه وربط حسابه والملاحظات من كل مكان؛ وتُلغى زياراته القادمة؛ وتحتفظ التقارير بأعداد مجهولة الهوية. لا يمكن التراجع عن ذلك.',
    search: 'ابحث عن المريض (الاسم أو الهاتف أو التذكرة)',
    searchHint: 'حرفان على الأقل.',
    none: 'لا يوجد مريض مطابق.',
    lastVisit: 'آخر زيارة {{day}} ({{ticket}})',
    noVisit: 'بلا زيارة',
    action: 'محو…',
    actionFor: 'محو {{name}}',
    dialogTitle: 'محو بيانات {{name}}؟',
    dialogText:
      'سيُحذف اسم {{name}} ورقم هاتفه وربط حسابه والملاحظات من كل الزيارات والرسائل، وتُلغى زياراته القادمة. لا يمكن التراجع عن ذلك. يسجّل سجل التدقيق أنك قمت بذلك، دون الاسم.',
    reason: 'السبب (اختياري، يُحفظ في سجل التدقيق)',
    confirmLabel: 'اكتب اسم المريض للتأكيد: {{name}}',
    confirm: 'محو نهائي',
    done: 'مُحيت بيانات {{name}} (زيارات محفوظة دون اسم: {{visits}}؛ ملغاة: {{cancelled}}).',
  },
};

export const PRIVACY_STRINGS = { en, fr, ar } as const;

/** The strings of a language (the app's languages; anything else falls back to English). */
export const privacyStringsFor = (lng: string): PrivacyStrings =>
  lng === 'ar' || lng === 'fr' ? PRIVACY_STRINGS[lng] : PRIVACY_STRINGS.en;
