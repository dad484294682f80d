/** Reports texts (ar / fr / en) — The SMS report. fr and ar are typed against en. */
export const en = {
  sms: {
    title: 'SMS',
    sent: 'Sent',
    failed: 'Failed',
    skipped: 'Not sent (budget)',
    segments: 'Segments',
    cost: 'Cost',
  },
};
type Strings = typeof en;

export const fr: Strings = {
  sms: {
    title: 'SMS',
    sent: 'Envoyés',
    failed: 'Échecs',
    skipped: 'Non envoyés (budget)',
    segments: 'Segments',
    cost: 'Coût',
  },
};

export const ar: Strings = {
  sms: {
    title: 'الرسائل القصيرة',
    sent: 'مرسلة',
    failed: 'فشلت',
    skipped: 'لم تُرسل (الميزانية)',
    segments: 'الأجزاء',
    cost: 'التكلفة',
  },
};
