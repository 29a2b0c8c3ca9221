"""A small fictional Arabic corpus, written for these tests, around a window boundary.

The boundary is 2026-03-12 00:00 UTC.

Windows of 7 days start on Thursdays (the epoch was one), so 2026-03-12 starts a window: the port
strike begins before it and goes on after it; the election ends before it, the flood comes after.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from marsad.ingest.files import record_document

STRIKE_A = (
    "أعلن عمال ميناء مرسى نور صباح اليوم إضرابا شاملا عن العمل احتجاجا على تأخر صرف الأجور وتدهور "
    "ظروف السلامة في الأرصفة. وقال ممثل نقابة عمال الميناء إن الإضراب سيستمر حتى تستجيب إدارة "
    "الميناء لمطالب العمال كاملة. وتوقفت حركة الشحن والتفريغ في الميناء بشكل كامل، فيما انتظرت "
    "عشرات السفن في عرض البحر. وأكدت إدارة الميناء أنها تجري اتصالات مع النقابة لإنهاء الأزمة في "
    "أقرب وقت."
)
STRIKE_B = (
    "دخل إضراب عمال ميناء مرسى نور يومه الثالث مع استمرار توقف حركة الشحن والتفريغ في الأرصفة. "
    "وقال ممثل نقابة عمال الميناء إن العمال متمسكون بمطالبهم بشأن صرف الأجور المتأخرة وتحسين ظروف "
    "السلامة في الأرصفة. وأضاف أن إدارة الميناء لم تقدم حتى الآن عرضا جديا لإنهاء الإضراب، فيما "
    "تنتظر عشرات السفن في عرض البحر قبالة ميناء مرسى نور."
)
STRIKE_B_EDITED = STRIKE_B.replace("يومه الثالث", "يومه الثالث على التوالي") + (
    " وتابعت وكالة الأنباء المحلية تطورات الإضراب ساعة بساعة."
)
ELECTION_A = (
    "توجه الناخبون في مدينة دار السلوى إلى صناديق الاقتراع لاختيار أعضاء المجلس البلدي الجديد، وسط "
    "إقبال وصفته اللجنة العليا للانتخابات بالمتوسط. وتنافس في الانتخابات البلدية أكثر من مئة وعشرين "
    "مرشحا على ثلاثين مقعدا. وقالت رئيسة اللجنة إن مراكز الاقتراع فتحت أبوابها في الموعد المحدد وإن "
    "عملية التصويت جرت بهدوء دون تسجيل مخالفات كبيرة."
)
ELECTION_B = (
    "أغلقت مراكز الاقتراع في مدينة دار السلوى أبوابها مساء اليوم بعد انتهاء التصويت في الانتخابات "
    "البلدية لاختيار أعضاء المجلس البلدي. وأعلنت اللجنة العليا للانتخابات أن نسبة المشاركة بلغت "
    "اثنين وأربعين في المئة، وأن فرز الأصوات بدأ فور إغلاق صناديق الاقتراع. ويتنافس مئة وعشرون "
    "مرشحا على ثلاثين مقعدا في المجلس البلدي."
)
FLOOD = (
    "غمرت السيول الناجمة عن أمطار غزيرة عدة أحياء في بلدة كفر سالم الليلة الماضية، ما أدى إلى انقطاع "
    "الطرق وتضرر عشرات المنازل. وقال الدفاع المدني إن فرقه أنقذت أكثر من خمسين شخصا حاصرتهم المياه "
    "في منازلهم وسياراتهم. وحذرت هيئة الأرصاد الجوية من استمرار هطول الأمطار خلال اليومين المقبلين "
    "ودعت السكان إلى تجنب الأودية ومجاري السيول."
)

RECORDS = [
    ("election-a", "انتخابات بلدية في دار السلوى", ELECTION_A, "2026-03-09T08:00:00+00:00"),
    ("election-b", "إغلاق صناديق الاقتراع في دار السلوى", ELECTION_B, "2026-03-09T19:00:00+00:00"),
    ("strike-a", "إضراب شامل في ميناء مرسى نور", STRIKE_A, "2026-03-11T07:00:00+00:00"),
    ("strike-a-copy", "عمال مرسى نور يضربون", STRIKE_A, "2026-03-11T09:30:00+00:00"),
    ("strike-b", "الإضراب في مرسى نور يدخل يومه الثالث", STRIKE_B, "2026-03-13T10:00:00+00:00"),
    ("strike-b-edit", "إضراب مرسى نور مستمر", STRIKE_B_EDITED, "2026-03-13T12:00:00+00:00"),
    ("flood", "سيول في كفر سالم", FLOOD, "2026-03-14T06:00:00+00:00"),
    ("undated", "سيول كفر سالم", FLOOD + " وتستمر عمليات الإغاثة.", None),
]


@dataclass(slots=True, frozen=True)
class Corpus:
    """Input files of the small corpus and the document id of each named record."""

    inputs: list[str]
    ids: dict[str, str]


def _line(name: str, title: str, text: str, published: str | None) -> dict[str, object]:
    record: dict[str, object] = {"id": name, "title": title, "text": text, "outlet": f"{name}.example"}
    if published:
        record["published"] = published
    return record


def write_corpus(tmp_path: Path) -> Corpus:
    """Two JSONL files, with one broken line and one record without text."""
    records = [_line(*r) for r in RECORDS]
    ids = {str(r["id"]): record_document(r, "x").id for r in records}
    root = tmp_path / "in"
    root.mkdir()
    first = root / "a.jsonl"
    first.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:4]) + "{not json\n",
        encoding="utf-8",
    )
    second = root / "b.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records[4:]]
    lines.append(json.dumps({"id": "empty", "title": "بلا نص"}, ensure_ascii=False))
    second.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Corpus(inputs=[str(root)], ids=ids)
