import io

import openpyxl
import pytest
from django.utils import translation

from api.conftest import api  # noqa: F401  (the token-authenticated API clients)

HEADERS = ["日期", "单位", "屯", "村民姓名", "村民电话", "身份证号", "来访人数", "来源渠道", "回应功能", "处置类别",
           "事由", "详细情况", "办理结果", "结果原因", "处理结果", "解决日期"]


@pytest.fixture(autouse=True)
def _default_language():
    yield
    translation.deactivate()


def xlsx(rows: list[dict], headers=HEADERS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    # a visit with a resolved dispute, a named villager
    {"日期": "2025-03-18", "单位": "甲村", "屯": "甲一屯", "村民姓名": "张大山", "村民电话": "13800000009", "来访人数": 2,
     "回应功能": "化解矛盾纠纷", "处置类别": "矛盾纠纷现场调解", "事由": "宅基地边界纠纷", "办理结果": "已解决",
     "处理结果": "现场调解达成协议", "解决日期": "2025-03-25"},
    # a phone call, still pending
    {"日期": "2025/4/2", "单位": "甲村", "来源渠道": "来电", "回应功能": "倾听意见建议", "处置类别": "政策咨询当面答复", "事由": "询问医保缴费"},
    # a visit without a concern
    {"日期": "2025年4月3日", "单位": "甲村", "来访人数": 3},
    # withdrawn
    {"日期": "2025-05-06", "单位": "乙村", "回应功能": "代办代理服务", "处置类别": "代办事项全程代理", "事由": "代办低保",
     "办理结果": "已撤回", "结果原因": "村民自行办理"},
]


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "城中镇2025台账.xlsx"
    path.write_bytes(xlsx(GOOD))
    return path
