"""Word lists for the person rules: titles, role words, speech verbs, words that are never names.

Arabic lists are written in ordinary spelling and folded once here, so they compare equal to
`Token.norm` (أ/إ -> ا, ة -> ه, ى -> ي).
"""

from __future__ import annotations

from marsad.text.arabic import fold_letters


def _fold_set(words: str) -> frozenset[str]:
    return frozenset(fold_letters(w).lower() for w in words.split())


# Titles and roles that come right before a person's name (or stand for the person).
AR_TITLES = _fold_set(
    """
    الرئيس رئيس الرئيسة رئيسة وزير الوزير وزيرة الوزيرة المتحدث متحدث المتحدثة الناطق ناطق الناطقة
    ممثل الممثل ممثلة السفير سفير السفيرة الملك الملكة الأمير أمير الشيخ اللواء العميد
    العقيد المقدم الرائد النقيب المبعوث مبعوث المبعوثة الأمين أمين مستشار المستشار المستشارة النائب
    نائب النائبة زعيم الزعيم قائد القائد مدير المدير مديرة المديرة السيد السيدة الدكتور الدكتورة
    المرشد البابا المفوض المندوب مندوب المندوبة مساعد القيادي
    المحلل الخبير الكاتب الصحفي المدرب اللاعب النجم الفنان الفنانة الممثلة المطرب المطربة الجنرال
    الداعية القاضي رئيسي الشيخة السلطان ولي العاهل الحاكم حاكم محافظ المحافظ عمدة العمدة الملا
    """
)
# Words that may sit between a title and the name (وزير خارجية روسيا, المتحدث باسم الكرملين).
AR_COMPLEMENTS = _fold_set(
    """
    خارجية دفاع داخلية مالية اقتصاد عدل صحة تعليم نفط طاقة إعلام ثقافة تجارة زراعة حكومة
    مجلس حزب حركة منظمة وزارة جيش قوات هيئة لجنة جامعة شركة بنك بعثة رابطة جبهة ائتلاف
    باسم عام العام الوزراء النواب الشيوخ الأمن الدولة الجمهورية وحدات الجناح السياسي العسكري
    للشؤون لشؤون شؤون العلاقات الأركان أركان الدفاع الخارجية الداخلية المالية حماية الشعب
    """
)
# Finite speech verbs (third person) and their participles; a clitic و or ف may precede them.
AR_SPEECH_VERBS = _fold_set(
    """
    قال قالت يقول تقول أضاف أضافت يضيف تابع تابعت يتابع أكد أكدت يؤكد أعلن أعلنت يعلن صرح صرحت
    أوضح أوضحت يوضح أشار أشارت يشير ذكر ذكرت يذكر كشف كشفت شدد شددت لفت لفتت اعتبر اعتبرت
    رأى رأت نفى نفت دعا دعت طالب طالبت حذر حذرت أفاد أفادت قال: أردف أردفت استطرد استدرك
    أكّد نقل نقلت كتب كتبت غرد غردت أبلغ أبلغت علق علقت وصف وصفت رد ردت ختم ختمت
    """
)
AR_PARTICIPLES = _fold_set(
    """
    قائلا قائلة مضيفا مضيفة مؤكدا مؤكدة مشيرا مشيرة موضحا موضحة معتبرا معتبرة لافتا لافتة
    مشددا مشددة متابعا متابعة معلنا معلنة محذرا محذرة مستطردا مردفا
    """
)
# Verbs that only continue an earlier speaker (وأضاف "...", وتابع قائلا: "...").
AR_CONTINUATION = _fold_set("أضاف أضافت تابع تابعت أردف أردفت استطرد ختم ختمت يضيف يتابع")

# News verbs that follow a title and name (اللواء شنقريحة يشرف، الوزير أنصب) and adverbs: never part
# of a name. (أشرف is left out: it is also a given name.)
AR_NON_NAMES = _fold_set(
    """
    يشرف ترأس يترأس استقبل يستقبل التقى يلتقي زار يزور بحث يبحث شارك يشارك وصل يصل غادر يغادر
    افتتح يفتتح وقع يوقع أجرى يجري تلقى يتلقى هنأ يهنئ بعث يبعث أصدر يصدر قرر يقرر أقال يقيل
    ألقى يلقي توجه يتوجه حضر يحضر تفقد يتفقد اجتمع يجتمع عقد يعقد قام يقوم أنصب ينصب نصب أدى
    يؤدي تسلم يتسلم سلم يسلم منح يمنح أمر يأمر أصدرت ترأست استقبلت التقت زارت شاركت وصلت
    رسميا حاليا مؤخرا لاحقا مجددا أخيرا فعلا تماما أساسا خصوصا عموما شخصيا
    """
)

# Head words of a place or facility name (سوق عكاظ, قاعدة العند, محافظة أبي عريش): a name they
# open, or one right after them, is the place's, never a person's. Institutions (مستشفى, جامعة) are
# organisations.
AR_PLACE_HEADS = _fold_set(
    """
    سوق قاعدة مطار ميناء محافظة مدينة منطقة قرية بلدة مخيم معسكر ميدان شارع حي جسر ساحة
    مرفأ منفذ معبر ولاية إمارة إقليم جزيرة جبل وادي بحيرة نهر صحراء قلعة ضاحية مديرية ناحية قضاء
    """
)
AR_INSTITUTION_HEADS = _fold_set("مستشفى جامعة كلية مدرسة معهد مستوصف مجمع ملعب استاد فندق مسجد جامع")

# Words that open the name of a tribe or clan (بني حسن, بنو تميم), never a person's; many are
# also places (محافظة بني حسن).
AR_TRIBES = _fold_set("بني بنو بنى")

AR_STOP = (
    _fold_set(
        """
    في من على إلى عن مع إن أن أنه أنها أنهم ان او أو ما لا لم لن قد كان كانت يكون هذا هذه ذلك
    تلك التي الذي الذين هو هي هم بين بعد قبل حتى إذا كما ثم أيضا كل بعض عند منذ حول خلال ضد
    عبر لدى يوم أمس اليوم غدا الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد صباح مساء
    ليلة بيان تصريح تصريحات مصدر مصادر مسؤولون شهود ناشطون مراسل وكالة صحيفة قناة موقع
    تقرير التقرير إنه إنها إننا إنهم لقد وقد كما لكن لكنه غير بل أي أحد نحو لمثل مثل هذا
    الذي يجب تم يتم سيتم وقت حين عندما بينما حيث وفق وفقا بحسب حسب نقلا مشيرا مضيفا قائلا
    انه اننا جدا فقط الآن سابق سابقا أنا نحن أنت هناك هنا عليه عليها له لها لهم به بها
    عنه عنها منه منها اليه إليه فيه فيها بان بأن لأن فإن وإن بأنه بأنها لأنه لكي كي إنني أنني
    مسؤول مسؤولة محلل خبير شاهد طبيب مواطن عضو متحدث ناطق الجيش المتحدث الناطق مصادر
    بهذه بهذا لهذه لهذا وهذه وهذا
    """
    )
    | AR_SPEECH_VERBS
    | AR_PARTICIPLES
    | AR_NON_NAMES
)

# Latin titles (English and French), lower-cased. Multi-word titles are matched word by word.
LATIN_TITLES = frozenset(
    """
    president vice-president minister secretary spokesman spokeswoman spokesperson ambassador envoy
    chancellor premier senator sen. rep. representative congressman congresswoman governor gov. mayor
    king queen prince princess pope sheikh general gen. colonel col. lt. lieutenant captain capt. major
    commander chief director ceo chairman chairwoman leader judge justice prosecutor attorney
    mr mr. mrs mrs. ms ms. dr dr. professor prof. coach striker midfielder defender goalkeeper
    président présidente ministre porte-parole ambassadeur ambassadrice chancelier chancelière
    sénateur sénatrice député députée maire roi reine pape cheikh général colonel commandant chef
    directeur directrice dirigeant dirigeante représentant représentante procureur procureure juge
    m. mme mme. me avocat avocate secrétaire émir emir entraîneur attaquant
    actor actress singer rapper writer author novelist journalist reporter artist musician
    producer founder co-founder pdg fondateur fondatrice acteur actrice chanteur chanteuse
    écrivain écrivaine journaliste
    """.split()
)
# Words of a title phrase that are capitalized yet not the name (Foreign Minister, Affaires étrangères).
LATIN_TITLE_WORDS = frozenset(
    """
    foreign prime deputy defence defense interior home state general foreign secretary minister
    health finance treasury justice security council house senate chief executive officer
    affaires étrangères défense intérieur etat état justice santé economie économie finances armées
    culture education éducation travail premier première gouvernement république
    """.split()
)
LATIN_SPEECH_VERBS = frozenset(
    """
    said says told added stated announced explained noted warned insisted declared wrote asked
    continued argued claimed tweeted confirmed denied urged acknowledged admitted replied recalled
    stressed cautioned predicted suggested according saying quoted
    déclaré affirmé ajouté indiqué expliqué estimé souligné précisé dit annoncé assuré déclare
    affirme ajoute indique explique estime souligne précise dit annonce assure selon poursuivi
    poursuit insisté insiste martelé martèle confié confie lancé lance averti avertit
    """.split()
)
LATIN_STOP = frozenset(
    """
    the a an he she it they we i you his her their this that these those there here in on at as
    but and or if when while after before for with by from of to police officials official
    authorities government ministry company report reports statement sources source spokesman
    spokeswoman people witnesses residents experts analysts monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december le la les un une il elle ils elles on nous vous ce cette ces selon mais et ou
    dans sur pour par avec lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars
    avril mai juin juillet août septembre octobre novembre décembre however meanwhile earlier later
    also asked told said mr mrs ms dr after his her its our your my according
    investigators officers prosecutors researchers scientists doctors critics analysts lawmakers
    residents protesters activists rebels troops soldiers observers organizers organisers north
    south east west cour tribunal court
    """.split()
)
# All-capital words that are not organisations: units, time zones, titles, roman numerals, common
# abbreviations, and shouted function words.
ACRONYM_STOP = frozenset(
    """
    ok tv am pm ceo cfo coo cto gdp ai utc gmt est edt pst pdt cet cest et pt id dna rna hiv aids
    covid sars mers mp mps vip faq pdf usb sms gps dj mc pr hq it rip vs ad bc no on in of the and to
    is be or at by we us my he me so do go up an as if km kg mw gw kw mph cm mm ml mg kwh sa sarl inc
    ltd llc plc co pdg dg ii iii iv vi vii viii ix xi xii xiii xiv xv xx xxi ph phd mba iq eu
    """.split()
)
PRONOUNS = frozenset("he she they il elle ils elles هو هي".split())
# Common given names (Arabic and foreign names in Arabic spelling): a feature of the Arabic tagger,
# never an answer by itself (أمل, سلام, نور, سعيد are also ordinary words).
AR_FIRST_NAMES = _fold_set(
    """
    محمد أحمد علي حسن حسين محمود مصطفى إبراهيم إسماعيل يوسف عمر عثمان خالد سعد سعيد سلمان سلطان
    فهد فيصل عبد عبدالله عبدالرحمن عبدالعزيز عبدالملك عبدالكريم طلال نايف نواف تركي بندر مشعل متعب
    ماجد مازن ناصر منصور صالح سليمان داود موسى عيسى يحيى زكريا هشام هاني وليد طارق زياد رامي سامي
    سمير جمال كمال نبيل عادل عماد رياض فؤاد جلال بشار حافظ رفيق صدام نوري عزت جواد حيدر مقتدى عمار
    ياسر ياسين أنور حسني جمال مبارك معمر زين رشيد راشد حمد حمدان زايد خليفة مكتوم تميم جاسم قابوس
    عبدالفتاح محسن مهدي هادي كريم نجيب فاروق شريف أيمن أسامة حمزة بلال أنس معاذ عاصم غازي ثامر
    فاطمة عائشة مريم زينب خديجة نورة سارة ليلى هدى منى سعاد نادية رانيا هالة سلمى لطيفة أمينة
    جورج جون جيمس توني ديفيد بيتر مايكل ريتشارد روبرت وليام بول مارك دونالد باراك بيل هيلاري كوندوليزا
    كولن ديك جاك نيكولا فرانسوا جاك ميشيل فلاديمير سيرغي سيرجي ديمتري إيغور بوريس أنجيلا غيرهارد
    هيلموت كلاوس هانز يوهان أرييل إيهود شمعون بنيامين إسحق إسحاق أفيغدور موشيه شاؤول دان بان كوفي
    رجب أحمدي نجاد علي حسن روحاني جواد أكبر هاشمي مير حامد نوري برويز شوكت نواز بينظير مانموهان
    """
)
