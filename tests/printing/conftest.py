"""Fixtures for the printables: a station with an address, hours and phones, and helpers
that read a PDF back — its text, its fonts, the QR codes in its images."""
import io

import pytest
from pypdf import PdfReader

from huiying.network import services as net
from huiying.network.models import Level, Role

from api.conftest import _default_language, api  # noqa: F401  (the API clients)


@pytest.fixture
def station(network):
    """丁村回应站 under 城中镇, with its office and two clerks who have phones."""
    n = network
    unit = net.unit_create(
        level=Level.VILLAGE, parent=n.township, name="丁村回应站", code="450000100209",
        address="城中镇丁村村委楼一层", opening_hours="周一至周五 8:00–12:00、15:00–18:00", phone="0771-8621234",
    )
    clerks = [
        net.staff_create(username="ding_clerk", full_name="黎晓梅", unit=unit, role=Role.CLERK, phone="13907710001"),
        net.staff_create(username="ding_clerk2", full_name="农志强", unit=unit, role=Role.CLERK, phone="13907710002"),
    ]
    supervisor = net.staff_create(username="ding_supervisor", full_name="覃秀兰", unit=unit, role=Role.SUPERVISOR, phone="13907710003")
    for u in (*clerks, supervisor):
        n.users[u.username] = u
    unit.clerks, unit.supervisor = clerks, supervisor
    return unit


@pytest.fixture
def stranger(db):
    """A clerk of another county: every unit of 测试县 is invisible to them."""
    county = net.unit_create(level=Level.COUNTY, parent=None, name="别县", code="451000000000", ref_prefix="BX")
    town = net.unit_create(level=Level.TOWNSHIP, parent=county, name="别镇")
    village = net.unit_create(level=Level.VILLAGE, parent=town, name="别村")
    return net.staff_create(username="stranger", full_name="外县人", unit=village, role=Role.CLERK)


def reader(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    """All the text of a PDF, pages joined, as pypdf extracts it (through ToUnicode)."""
    return "\n".join(page.extract_text() for page in reader(content).pages)


def flat(content: bytes) -> str:
    """The text without line breaks and spaces: a wrapped phrase is found whole."""
    return "".join(pdf_text(content).split())


def fonts(content: bytes) -> list[dict]:
    """Every font descriptor the PDF's pages use, resolved."""
    found = []
    for page in reader(content).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            for f in ([d.get_object() for d in descendants] if descendants else [font]):
                if "/FontDescriptor" in f:
                    found.append({"name": f["/BaseFont"], "subtype": f["/Subtype"], "descriptor": f["/FontDescriptor"].get_object(), "unicode": "/ToUnicode" in font})
    return found


def qr_texts(content: bytes) -> list[str]:
    """The texts of the QR codes in the PDF's images (decoded with zxing-cpp)."""
    import zxingcpp

    texts = []
    for page in reader(content).pages:
        for image in page.images:
            for result in zxingcpp.read_barcodes(image.image.convert("L")):
                if result.format == zxingcpp.BarcodeFormat.QRCode:
                    texts.append(result.text)
    return texts
