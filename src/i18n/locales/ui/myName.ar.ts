/** "اسمك لدى {clinic}" في زياراتي (issue 12؛ src/pages/visits/MyNameCard.tsx)، ar — يُحمَّل مع البطاقة. */
export const myNameAr = {
  title: 'اسمك لدى {{clinic}}',
  lead: 'هذا هو الاسم على تذاكرك وفي رسائل العيادة. صحّحه إن كان خاطئًا (حتى 3 مرات في اليوم).',
  edit: 'تصحيح اسمي',
  label: 'الاسم الكامل',
  save: 'حفظ اسمي',
  cancel: 'إلغاء',
  saved: 'تم حفظ الاسم: {{name}}',
  unchanged: 'اسمك هو {{name}} بالفعل.',
  required: 'أدخل اسمك.',
};
