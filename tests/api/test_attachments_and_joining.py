"""Attachments (upload, list, download) and joining an open concern, × role."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huiying.concerns import services as cs
from huiying.concerns.models import Attachment

from helpers import fresh, register, snapshot

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def attach(api, who, concern, content=PNG, **fields):
    return api(who).post(f"/api/v1/concerns/{concern.reference}/attachments",
                         {"file": SimpleUploadedFile("协议照片.png", content, "image/png"), **fields}, format="multipart")


def test_upload_list_and_download(api, network, concern):
    r = attach(api, "village_clerk", concern, kind="agreement_photo", version=concern.version)
    assert r.status_code == 201, r.json()
    assert (r.json()["kind"], r.json()["content_type"], r.json()["size"]) == ("agreement_photo", "image/png", len(PNG))
    detail = api("village_clerk").get(f"/api/v1/concerns/{concern.reference}").json()
    assert [a["id"] for a in detail["attachments"]] == [r.json()["id"]] and detail["version"] == concern.version
    download = api("township_staff").get(r.json()["url"])  # whoever sees the concern
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["Cache-Control"] == "private, no-store"
    assert api("far_clerk").get(r.json()["url"]).status_code == 404


@pytest.mark.parametrize("who, expected", [("village_clerk", 201), ("county_commander", 201), ("township_staff", 403), ("far_clerk", 404), (None, 401)])
def test_who_may_attach(api, network, concern, who, expected):
    before = Attachment.objects.count()
    assert attach(api, who, concern).status_code == expected
    assert Attachment.objects.count() == before + (expected == 201)


def test_a_file_that_is_not_a_photo_or_pdf_is_named(api, network, concern):
    r = attach(api, "village_clerk", concern, content=b"MZ\x90\x00 not an image")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["file"]
    r = attach(api, "village_clerk", concern, version=concern.version + 1)
    assert r.status_code == 409 and r.json()["current_version"] == concern.version


def test_joining_an_open_concern(api, network, concern):
    n = network
    v = cs.villager_create(actor=n.village_clerk, name="黄阿公", hamlet=n.hamlet2)
    body = {"version": concern.version, "villagers": [v.id]}
    assert api("far_clerk").post(f"/api/v1/concerns/{concern.reference}/join", body, format="json").status_code == 404
    before = snapshot()
    assert api("supervisor").post(f"/api/v1/concerns/{concern.reference}/join", body, format="json").status_code == 404
    assert api("village_clerk").post(f"/api/v1/concerns/{concern.reference}/join", {**body, "version": 99}, format="json").status_code == 409
    assert snapshot() == before
    r = api("village_clerk").post(f"/api/v1/concerns/{concern.reference}/join", body, format="json")
    assert r.status_code == 200 and [x["name"] for x in r.json()["villagers"]] == ["黄阿公"]
    assert r.json()["version"] == fresh(concern).version == concern.version + 1
    r = api("village_clerk").post(f"/api/v1/concerns/{concern.reference}/join", {"version": r.json()["version"]}, format="json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["villagers"]


def test_a_visible_concern_may_be_joined_only_by_staff_of_its_units(api, network):
    n = network
    c = register(n, actor=n.hamlet_clerk, unit=n.point)
    v = cs.villager_create(actor=n.village_clerk, name="黄阿公", hamlet=n.hamlet2)
    # The township sees it; only the staff of the unit handling or receiving it (or above) may add people.
    r = api("township_staff").post(f"/api/v1/concerns/{c.reference}/join", {"version": c.version, "villagers": [v.id]}, format="json")
    assert r.status_code == 200
    r = api("supervisor").post(f"/api/v1/concerns/{c.reference}/join", {"version": c.version + 1, "villagers": [v.id]}, format="json")
    assert r.status_code == 404
