"""`huiying import-network`: huiying/network/importer.py and its command."""
import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import translation

from huiying import cli
from huiying.network.importer import ImportFailed, network_import
from huiying.network.models import ANCESTOR_FIELD, Employment, Hamlet, Level, Membership, Role, Unit

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "network-example.csv"

HEADER = ["level", "code", "name", "parent_code", "address", "opening_hours", "phone", "rules", "ref_prefix"]
COUNTY = ["county", "459901000000", "示例县", "", "城中路1号", "8:00-17:30", "0771-1", "首问负责", "SL"]
SMALL = [
    HEADER,
    COUNTY,
    ["department", "", "民政局", "459901000000", "", "", "", "", ""],
    ["township", "459901100000", "城中镇", "459901000000", "", "", "", "", ""],
    ["village", "459901100201", "那坡村", "459901100000", "", "", "", "", ""],
    ["hamlet", "", "那坡屯", "459901100201", "", "", "", "", ""],
    ["place", "", "那坡二屯", "459901100201", "", "", "", "", ""],
]


def write_csv(tmp_path, rows, encoding="utf-8-sig", name="net.csv") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def failures(path_or_rows, tmp_path=None) -> set[tuple[int, str, str]]:
    path = path_or_rows if isinstance(path_or_rows, Path) else write_csv(tmp_path, path_or_rows)
    with pytest.raises(ImportFailed) as failed:
        network_import(path=path)
    return {(e.row, e.column, e.code) for e in failed.value.errors}


def assert_ancestors_as_unit_create_sets_them(unit: Unit) -> None:
    own = ANCESTOR_FIELD[Level(unit.level)]
    assert getattr(unit, own + "_id") == unit.id
    for field in ANCESTOR_FIELD.values():
        if field != own:
            assert getattr(unit, field + "_id") == (getattr(unit.parent, field + "_id") if unit.parent else None), (unit, field)


def test_csv_utf8_with_bom(db, tmp_path):
    counts = network_import(path=write_csv(tmp_path, SMALL))
    assert counts == {"county": 1, "township": 1, "village": 1, "point": 1, "place": 1, "department": 1}
    county = Unit.objects.get(code="459901000000")
    assert (county.level, county.ref_prefix, county.address, county.rules) == (Level.COUNTY, "SL", "城中路1号", "首问负责")
    point = Unit.objects.get(level=Level.HAMLET)
    village = Unit.objects.get(code="459901100201")
    township = Unit.objects.get(code="459901100000")
    assert (point.parent, point.county, point.township, point.village, point.point, point.department) == (village, county, township, village, point, None)
    department = Unit.objects.get(level=Level.DEPARTMENT)
    assert (department.county, department.township, department.department) == (county, None, department)
    for unit in Unit.objects.all():
        assert_ancestors_as_unit_create_sets_them(unit)
    # The point serves a hamlet of the same name; the plain hamlet has no point.
    assert Hamlet.objects.get(point=point).village == village
    assert Hamlet.objects.get(name="那坡屯").point == point
    assert Hamlet.objects.get(name="那坡二屯").point is None


def test_csv_utf8_without_bom(db, tmp_path):
    assert network_import(path=write_csv(tmp_path, SMALL, encoding="utf-8"))["point"] == 1
    assert Unit.objects.count() == 5


def test_csv_gbk_with_chinese_headers_and_levels(db, tmp_path):
    rows = [
        ["层级", "区划代码", "名称", "上级代码", "地址", "开放时间", "电话", "制度", "编号前缀", "备注"],
        ["县", "459901000000", "示例县", "", "", "", "", "", "SL", "随便写"],
        ["部门", "", "信访局", "459901000000", "", "", "", "", "", ""],
        ["回应中心", "459901100000", "城中镇", "459901000000", "", "周一至周五", "", "", "", ""],
        ["村", "459901100201", "那坡村", "459901100000", "那坡村委会", "", "", "", "", ""],
        ["回应点", "", "那坡屯", "459901100201", "", "", "", "", "", ""],
        ["自然屯", "", "弄怀屯", "459901100201", "", "", "", "", "", ""],
    ]
    path = write_csv(tmp_path, rows, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really GBK
    network_import(path=path)
    assert Unit.objects.get(code="459901100000").opening_hours == "周一至周五"
    assert Unit.objects.get(code="459901100201").address == "那坡村委会"
    assert set(Hamlet.objects.values_list("name", flat=True)) == {"那坡屯", "弄怀屯"}


def test_utf16_tab_separated_text_from_excel(db, tmp_path):
    path = tmp_path / "net.txt"
    path.write_bytes("\r\n".join("\t".join(row) for row in SMALL).encode("utf-16"))
    assert network_import(path=path)["place"] == 1


def test_gbk_errors_name_the_chinese_column(db, tmp_path):
    rows = [["层级", "区划代码", "名称", "上级代码"], ["县", "459901000000", "示例县", ""], ["乡镇", "4599", "城中镇", "459901000000"]]
    # The county has no reference prefix; the township's code is short.
    assert failures(write_csv(tmp_path, rows, encoding="gb18030")) == {(2, "ref_prefix", "ref_prefix"), (3, "区划代码", "code")}


def test_xlsx_first_sheet_and_named_sheet(db, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["这一页是说明"])
    sheet = book.create_sheet("网络")
    sheet.append(HEADER)
    for row in SMALL[1:]:
        # Excel users type codes as numbers; they come back as int or float.
        sheet.append([int(c) if c.isdigit() and len(c) == 12 and i == 1 else c for i, c in enumerate(row)])
    sheet.cell(row=5, column=2).value = 459901100201.0
    path = tmp_path / "net.xlsx"
    book.save(path)

    assert failures(path) == {(1, "这一页是说明", "unknown_column")} | {(1, "level", "missing_column"), (1, "name", "missing_column")}
    assert network_import(path=path, sheet="网络")["village"] == 1
    assert Unit.objects.get(code="459901100201").parent.code == "459901100000"
    with pytest.raises(ImportFailed) as failed:
        network_import(path=path, sheet="没有")
    assert failed.value.errors[0].row == 0


def test_xlsx_row_numbers_count_blank_rows(db, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADER)
    ws.append(COUNTY)
    ws.cell(row=5, column=1).value = "township"  # rows 3 and 4 left blank
    ws.cell(row=5, column=3).value = "城中镇"
    path = tmp_path / "net.xlsx"
    book.save(path)
    assert failures(path) == {(5, "code", "missing_code"), (5, "parent_code", "parent")}


def test_forward_references(db, tmp_path):
    rows = [HEADER, *reversed(SMALL[1:])]  # every child before its parent
    network_import(path=write_csv(tmp_path, rows))
    assert Unit.objects.get(level=Level.HAMLET).village.code == "459901100201"
    for unit in Unit.objects.all():
        assert_ancestors_as_unit_create_sets_them(unit)


def test_one_bad_row_imports_nothing_and_names_row_and_column(db, tmp_path):
    rows = [*SMALL, ["village", "459901100202", "", "459901100000", "", "", "", "", ""]]
    assert failures(rows, tmp_path) == {(8, "name", "name")}
    assert not Unit.objects.exists() and not Hamlet.objects.exists()
    with translation.override("en"):
        with pytest.raises(ImportFailed) as failed:
            network_import(path=write_csv(tmp_path, rows))
        assert str(failed.value.errors[0]) == "Row 8, name: A unit needs a name."


def test_every_bad_row_is_reported(db, tmp_path):
    rows = [
        *SMALL,
        ["commune", "", "人民公社", "459901000000", "", "", "", "", ""],  # 8 unknown level
        ["village", "45990110020X", "坏代码村", "459901100000", "", "", "", "", ""],  # 9 bad code
        ["village", "459901100201", "重复村", "459901100000", "", "", "", "", ""],  # 10 code of row 5
        ["village", "459901100203", "孤村", "459901999999", "", "", "", "", ""],  # 11 unknown parent
        ["village", "459901100204", "错村", "459901000000", "", "", "", "", ""],  # 12 village under the county
        ["place", "", "那坡二屯", "459901100201", "", "", "", "", ""],  # 13 hamlet name of row 7
        ["point", "", "那坡二屯", "459901100201", "", "", "", "", ""],  # 14 again, as a point
        ["place", "", "乡下屯", "459901100000", "", "", "", "", ""],  # 15 hamlet under a township
        ["township", "459901200000", "甲镇", "459901201000", "", "", "", "", ""],  # 16 ┐ each other's parent
        ["township", "459901201000", "乙镇", "459901200000", "", "", "", "", ""],  # 17 ┘
        ["department", "", "民政局", "459901000000", "", "", "", "", ""],  # 18 name of row 3
        ["village", "459901100205", "远村", "459901100000/不存在", "", "", "", "", ""],  # 19 no such child
        ["village", "459901100206", "x" * 101, "459901100000", "", "", "", "", ""],  # 20 name too long
        ["", "", "", "", "", "", "", "", ""],  # blank: skipped
        ["", "459901100207", "无层级", "459901100000", "", "", "", "", ""],  # 22 no level
    ]
    assert failures(rows, tmp_path) == {
        (8, "level", "unknown_level"),
        (9, "code", "code"),
        (10, "code", "duplicate_code"),
        (11, "parent_code", "unknown_parent"),
        (12, "parent_code", "parent"),
        (13, "name", "duplicate_name"),
        (14, "name", "duplicate_name"),
        (15, "parent_code", "village"),
        (16, "parent_code", "cycle"),
        (17, "parent_code", "cycle"),
        (18, "name", "duplicate_name"),
        (19, "parent_code", "unknown_parent"),
        (20, "name", "too_long"),
        (22, "level", "missing_level"),
    }
    assert not Unit.objects.exists()


def test_rows_are_numbered_as_in_the_spreadsheet_even_with_line_breaks_in_a_cell(db, tmp_path):
    rows = [HEADER, [*COUNTY[:7], "第一条\n第二条\n第三条", "SL"], ["township", "1", "城中镇", "459901000000", "", "", "", "", ""]]
    assert failures(rows, tmp_path) == {(3, "code", "code")}


def test_reimport_conflicts_with_the_database(network, tmp_path):
    n = network
    rows = [
        ["层级", "区划代码", "名称", "上级代码", "编号前缀"],
        ["县", "450000000000", "测试县", "", "CS"],  # 2 county already there
        ["部门", "", "民政局", "450000000000", ""],  # 3 the county has this department already
        ["村", "450000100201", "甲村", "450000100000", ""],  # 4 code taken
        ["屯", "", "甲二屯", "450000100201", ""],  # 5 that village has a hamlet of that name
        ["自然屯", "", "甲一屯", "450000100201", ""],  # 6 so has this one
    ]
    assert failures(rows, tmp_path) == {(2, "区划代码", "code_taken"), (3, "名称", "name_taken"), (4, "区划代码", "code_taken"), (5, "名称", "name_taken"), (6, "名称", "name_taken")}
    assert Unit.objects.count() == 8 and n.county.children.count() == 3


def test_extends_a_network_already_in_the_database(network, tmp_path):
    n = network
    rows = [
        ["level", "code", "name", "parent", "username", "role", "employment", "phone"],
        ["village", "450000100203", "丁村", "450000100000", "", "", "", ""],
        ["point", "", "丁一屯", "450000100203", "", "", "", ""],
        ["point", "", "甲三屯", "450000100201", "", "", "", ""],
        ["staff", "", "新值班", "450000100203/丁一屯", "new_clerk", "clerk", "full", "13900000000"],
        ["staff", "", "新值班", "450000100201/甲一屯回应点", "new_clerk", "值班员", "", ""],
        ["staff", "", "新联络", "450000000000/民政局", "new_liaison", "部门联络员", "兼职", ""],
    ]
    counts = network_import(path=write_csv(tmp_path, rows))
    assert counts == {"village": 1, "point": 2, "staff": 3}
    village = Unit.objects.get(code="450000100203")
    assert (village.county, village.township, village.village) == (n.county, n.township, village)
    new_point = Unit.objects.get(name="甲三屯")
    assert (new_point.village, new_point.point, new_point.township) == (n.village, new_point, n.township)
    clerk = get_user_model().objects.get(username="new_clerk")
    assert clerk.first_name == "新值班" and not clerk.has_usable_password() and not clerk.is_staff
    assert {(m.unit.name, m.role, m.employment) for m in clerk.memberships.all()} == {
        ("丁一屯", Role.CLERK, Employment.FULL_TIME), ("甲一屯回应点", Role.CLERK, Employment.PART_TIME)}
    assert Membership.objects.get(user__username="new_liaison").unit == n.department


def test_staff_rows_are_checked_by_the_membership_rules(network, tmp_path):
    rows = [
        ["level", "name", "parent", "username", "role", "employment"],
        ["staff", "甲", "450000100201", "a", "commander", ""],  # 2 no commander at a village
        ["staff", "乙", "450000100201", "village_clerk", "clerk", ""],  # 3 username taken
        ["staff", "丙", "450000100201", "", "clerk", ""],  # 4 no username
        ["staff", "丁", "450000100201", "d", "clerk", "sometimes"],  # 5 bad employment
        ["staff", "戊", "450000100201", "e", "boss", ""],  # 6 unknown role
        ["staff", "己", "450000000000/没有", "f", "clerk", ""],  # 7 no such unit
        ["staff", "庚", "450000100201", "g", "clerk", ""],
        ["staff", "庚", "450000100201", "g", "值班员", ""],  # 9 same role twice
        ["staff", "辛", "450000100202", "g", "clerk", ""],  # 10 same username, another person
    ]
    assert failures(rows, tmp_path) == {
        (2, "role", "role"), (3, "username", "username"), (4, "username", "username"), (5, "employment", "employment"),
        (6, "role", "role"), (7, "parent", "unknown_parent"), (8, "role", "duplicate_membership"), (9, "role", "duplicate_membership"),
        (10, "username", "username"),
    }
    assert not get_user_model().objects.filter(username="g").exists()


def test_bad_files(db, tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    (tmp_path / "empty.csv").write_bytes(b"\xef\xbb\xbf\n\n")
    (tmp_path / "binary.csv").write_bytes(b"level,name\n\xff\xfe\xff\x00\x81\n")
    for name in ("old.xls", "empty.csv", "binary.csv", "missing.csv"):
        with pytest.raises(ImportFailed) as failed:
            network_import(path=tmp_path / name)
        assert [e.row for e in failed.value.errors] == [0], name


def test_dry_run_writes_nothing(db, tmp_path):
    assert network_import(path=write_csv(tmp_path, SMALL), dry_run=True)["county"] == 1
    assert not Unit.objects.exists()


def test_command_success_dry_run_and_failure(db, tmp_path, capsys, monkeypatch):
    # run_from_argv closes every connection when done, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    good = write_csv(tmp_path, SMALL, name="good.csv")
    bad = write_csv(tmp_path, [*SMALL, ["village", "1", "坏村", "459901100000"], ["hamlet", "", "", "459901100201"]], name="bad.csv")
    with translation.override("en"):
        out, err = io.StringIO(), io.StringIO()
        with pytest.raises(CommandError, match="2 error"):
            call_command("import_network", str(bad), stdout=out, stderr=err)
        assert err.getvalue().splitlines() == ["Row 8, code: A division code has exactly 12 digits.", "Row 9, name: A unit needs a name."]
        call_command("import_network", str(good), "--dry-run", stdout=out)
        assert not Unit.objects.exists()
        # Through the `huiying` CLI as a user runs it: a bad file exits with status 1.
        with pytest.raises(SystemExit) as exit_:
            cli.main(["huiying", "import-network", str(bad)])
        assert exit_.value.code == 1
        assert "Row 8, code" in capsys.readouterr().err
        cli.main(["huiying", "import-network", str(good)])
        assert "Village station: 1" in capsys.readouterr().out
    assert Unit.objects.count() == 5


def test_the_example_file_imports(db):
    counts = network_import(path=EXAMPLE)
    assert counts == {"county": 1, "township": 2, "village": 3, "point": 2, "place": 5, "department": 4, "staff": 7}
    county = Unit.objects.get(level=Level.COUNTY)
    assert county.ref_prefix == "SL" and Unit.objects.filter(county=county).count() == 12
    assert Hamlet.objects.count() == 7 and Hamlet.objects.filter(point__isnull=False).count() == 2
    assert Unit.objects.get(code="459901100201").rules.startswith("1. 轮流值班")
    assert Membership.objects.get(user__username="mengzhiban").unit.name == "那坡屯"
    for unit in Unit.objects.all():
        assert_ancestors_as_unit_create_sets_them(unit)


def test_a_province_sized_file_is_quick(db, tmp_path, django_assert_max_num_queries):
    rows = [HEADER, COUNTY]
    for t in range(20):
        town = f"4599011{t:02d}000"
        rows.append(["township", town, f"镇{t}", "459901000000"])
        for v in range(50):
            village = f"4599011{t:02d}2{v:02d}"
            rows.append(["village", village, f"村{t}-{v}", town])
            rows += [["point", "", f"屯{t}-{v}-{h}", village] for h in range(3)]
    # 20 + 1,000 + 3,000 units and 3,000 hamlets: queries in batches, not per row (SQLite's
    # variable limit makes Django's batches smaller there than on PostgreSQL).
    with django_assert_max_num_queries(150):
        counts = network_import(path=write_csv(tmp_path, rows))
    assert counts["point"] == 3000 and Hamlet.objects.count() == 3000
    assert Unit.objects.filter(level=Level.HAMLET, point_id=None).count() == 0
