/**
 * The home page's strings (ar), loaded with the home page (src/i18n/pageStrings.ts), not with every
 * screen's language bundle (the role names stay in the main bundle: staff screens use them).
 */
export const landingAr = {
  title: 'طابور المرضى الذي تعتمد عليه عيادتك',
  lead: 'يستدعي QueueMed المرضى من مكتب الاستقبال، ويعرض من التالي على شاشة قاعة الانتظار، ويتيح للمرضى متابعة دورهم مباشرة على هواتفهم — بالعربية والفرنسية والإنجليزية.',
  demoTitle: 'جرّب العيادة التجريبية',
  demoLead: 'عيادة أنفا الطبية، الدار البيضاء. جميع الحسابات التجريبية تستعمل كلمة المرور أدناه.',
  password: 'كلمة المرور',
  role: 'الدور',
  login: 'اسم الدخول',
  open: 'فتح',
  screens: 'الشاشات',
  boardLink: 'شاشة قاعة الانتظار',
  boardDesc: 'ملء الشاشة لتلفاز قاعة الانتظار.',
  trackerLink: 'المتابعة المباشرة لمريض',
  trackerDesc: 'ما يراه أمين على هاتفه — دون تسجيل دخول.',
  clinicLink: 'صفحة العيادة والحجز',
  clinicDesc: 'احجز موعدًا: النوع، اليوم، الوقت المتاح.',
  directoryLink: 'دليل العيادات',
  directoryDesc: 'ابحث عن عيادة بالاسم أو المدينة أو التخصص.',
  kioskLink: 'جهاز تسجيل الوصول',
  kioskDesc: 'لوحة عند المدخل: تسجيل الوصول بالتذكرة وآخر أرقام الهاتف.',
  signInAs: 'الدخول بصفة {{role}}',
  features: {
    live: 'مباشر في كل مكان',
    liveDesc: 'يظهر النداء من المكتب على الشاشة وهاتف المريض في أقل من ثانية.',
    fair: 'عادل بطبيعته',
    fairDesc: 'يُحتسب التجاوز وله حد أقصى؛ والمريض الغائب يحصل على مهلة.',
    lang: 'العربية والفرنسية والإنجليزية',
    langDesc: 'اتجاه من اليمين إلى اليسار كما يجب، ورسائل بلغة المريض.',
  },
};
