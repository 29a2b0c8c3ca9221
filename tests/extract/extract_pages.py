"""Pages we write ourselves for the extraction tests: an Arabic and a Spanish article, and a long
English one, each assembled into HTML with the markup a test needs around it."""

from __future__ import annotations

from datetime import UTC, datetime

from marsad.ingest import content_id
from marsad.records import RawDocument

ARABIC_TITLE = "بلدية المدينة تفتتح جسرا جديدا فوق الوادي بعد عامين من الأشغال"
ARABIC_PARAGRAPHS = [
    "افتتحت بلدية المدينة صباح الأحد جسرا جديدا فوق الوادي الكبير، بعد عامين من الأشغال التي "
    "عطلت حركة السير في الحي الشرقي وأثارت شكاوى التجار وسكان الأحياء المجاورة.",
    "وقال رئيس البلدية في كلمة أمام الحضور إن الجسر سيخفف الضغط على الطريق القديم، وإن كلفته "
    "بلغت اثني عشر مليون دينار تحملت الدولة ثلثيها وتكفلت البلدية بالباقي من ميزانيتها.",
    "وأضاف أن أشغال المرحلة الثانية ستنطلق في الخريف المقبل، وتشمل توسيع المدخل الجنوبي للمدينة "
    "وإنشاء ممر للراجلين على ضفتي الوادي مع إنارة عمومية جديدة.",
    "ورحب عدد من السكان بالمشروع، لكن بعضهم عبر عن قلقه من تأخر أشغال الصرف الصحي في الحي، "
    "مطالبين بجدول زمني واضح تلتزم به المقاولة المكلفة بالإنجاز.",
    "ويعد الجسر الجديد أطول منشأة من نوعها في الولاية، إذ يبلغ طوله أربعمئة متر، ويتسع لأربعة "
    "مسارات للسيارات ومسار خاص بالحافلات العمومية التي تربط المدينة بالقرى المجاورة.",
    "وأكد مهندس المشروع أن الجسر صمم ليقاوم الفيضانات التي عرفتها المنطقة في السنوات الأخيرة، "
    "وأن الاختبارات التقنية أجريت تحت إشراف مكتب دراسات مستقل قبل فتحه أمام حركة المرور.",
]
SPANISH_TITLE = "El ayuntamiento aprueba la sanción a la empresa de limpieza"
SPANISH_PARAGRAPHS = [
    "El pleno del ayuntamiento aprobó el martes la sanción a la empresa concesionaria de la limpieza "
    "urbana, después de varios meses de quejas vecinales por la acumulación de basura en las calles.",
    "La decisión, que llegó tras una votación ajustada, obliga a la compañía a pagar una multa y a "
    "presentar en treinta días un plan de mejora con más camiones y turnos nocturnos.",
    "La oposición criticó que la medida llega tarde y pidió una auditoría del contrato, firmado hace "
    "seis años, mientras que el equipo de gobierno defendió que la revisión ya está en marcha.",
]
LONG_TITLE = "Flood defences plan delayed again as valley towns wait"
LONG_PARAGRAPHS = [
    f"Part {n}: the regional council met again on Tuesday to discuss the flood defences for the "
    f"valley, and residents who lost homes last summer said stage {n} of the plan was still moving "
    "far too slowly for towns that cannot face another winter without protection."
    for n in range(1, 15)
]


def html_page(
    title: str,
    paragraphs: list[str],
    *,
    lang: str = "ar",
    head: str = "",
    charset: str | None = "utf-8",
    title_tag: str | None = None,
) -> str:
    """An article page: navigation, <h1>, the paragraphs in an article body, a footer."""
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{title_tag or title}</title>{head}</head>'
        '<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f'<article><h1>{title}</h1><div class="article-body">{body}</div></article>'
        "<footer>(c) 2024 marsad.example</footer></body></html>"
    )


def raw_page(content: bytes, url: str = "https://marsad.example/news/1", **fields: object) -> RawDocument:
    """An HTML RawDocument as ingest would make it from a fetched page."""
    return RawDocument(
        id=content_id(content),
        source="page.html",
        content=content,
        hint="html",
        url=url,
        fetched_at=datetime(2024, 6, 3, tzinfo=UTC),
        fields=dict(fields),
    )
