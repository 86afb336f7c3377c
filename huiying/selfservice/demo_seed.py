"""Demo content: a few notes in the suggestion boxes of 城中镇's village stations, one read,
one answered publicly (it shows on the station's board). Adds no concern and changes no
concern's outcome. The receipt codes are random and thrown away — like a real sender who
lost the slip; drop a note through the form (/p/<station>/box/) to get one."""
import datetime as dt

from django.utils import timezone

from huiying.network.models import Level, Membership, Role, Unit

from . import services

NOTES = [
    ("村口到小学那段路没有路灯，晚上接孩子很黑，建议装几盏太阳能路灯。", "suggestion", 6),
    ("低保名单公示的时间太短了，外出务工的人回来都看不到，建议延长公示。", "agency_service", 4),
    ("垃圾收集点离水井太近，夏天味道很大，建议挪远一些。", "suggestion", 2),
    ("村里开会能不能提前一天通知？很多老人不会看手机群。", "", 1),
]
ANSWER = "已与镇里商量，计划下月在村口至小学路段安装 6 盏太阳能路灯，届时在公示栏通知。感谢您的建议！"


def _at(today: dt.date, days_ago: int, hour: int, *, after: dt.datetime | None) -> dt.datetime:
    """The note's day and hour — but never before the last record-book entry: the book is in
    time order (its entries are appended now, after the demo's year of history)."""
    at = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour, 0)))
    return max(at, after + dt.timedelta(minutes=1)) if after else at


def seed(*, county: Unit, today: dt.date) -> None:
    township = Unit.objects.filter(county=county, level=Level.TOWNSHIP, name__startswith="城中镇").first()
    if township is None:
        return
    from huiying.records.models import RecordEntry

    def last() -> dt.datetime | None:
        return RecordEntry.objects.filter(county=county).order_by("-seq").values_list("at", flat=True).first()

    stations = list(Unit.objects.filter(township=township, level=Level.VILLAGE).order_by("id")[:2])
    for i, station in enumerate(stations):
        clerk = Membership.objects.filter(unit=station, role=Role.CLERK).select_related("user").order_by("id").first()
        hamlet = station.hamlets.order_by("id").first()
        for j, (text, topic, days_ago) in enumerate(NOTES[i * 2:i * 2 + 2]):
            s, _code = services.suggestion_drop(unit=station, text=text, hamlet=hamlet if j == 0 else None, topic=topic,
                                                now=_at(today, days_ago, 9 + j, after=last()))
            if clerk is None:
                continue
            if i == 0 and j == 0:
                services.suggestion_answer(actor=clerk.user, suggestion=s, answer=ANSWER, public=True, now=_at(today, days_ago - 1, 15, after=last()))
            elif j == 0:
                services.suggestion_mark_read(actor=clerk.user, suggestion=s, now=_at(today, days_ago - 1, 10, after=last()))
