"""`huiying screenshots`: its refusals, and the PNG shrinking it applies (no browser needed;
the pictures themselves are taken by running the command on the demo county)."""
import struct
import zlib

import pytest
from django.core.management import CommandError, call_command

from huiying.web import png
from huiying.web.management.commands import screenshots


def encode(width: int, rows: list[bytes], bpp: int = 3) -> bytes:
    """A truecolour PNG with every row filter in turn (none, sub, up, average, Paeth)."""
    out, prev = bytearray(), bytes(width * bpp)
    for y, row in enumerate(rows):
        kind = y % 5
        line = bytearray()
        for x, v in enumerate(row):
            a = row[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 0:
                pred = 0
            elif kind == 1:
                pred = a
            elif kind == 2:
                pred = b
            elif kind == 3:
                pred = (a + b) >> 1
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
            line.append((v - pred) & 0xFF)
        out += bytes([kind]) + line
        prev = row
    colour = 2 if bpp == 3 else 6
    return (
        png.SIGNATURE
        + png._chunk(b"IHDR", struct.pack(">IIBBBBB", width, len(rows), 8, colour, 0, 0, 0))
        + png._chunk(b"IDAT", zlib.compress(bytes(out)))
        + png._chunk(b"IEND", b"")
    )


def decode_palette(data: bytes) -> list[bytes]:
    chunks = dict(png._chunks(data))
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 3)
    palette = chunks[b"PLTE"]
    raw = zlib.decompress(chunks[b"IDAT"])
    rows = []
    for y in range(height):
        line = raw[y * (width + 1):(y + 1) * (width + 1)]
        assert line[0] == 0
        rows.append(b"".join(palette[i * 3:i * 3 + 3] for i in line[1:]))
    return rows


def picture(width=40, height=25) -> list[bytes]:
    """40 reds × 5 greens: 200 colours."""
    return [bytes(c for x in range(width) for c in ((x * 7 + y) % 40 * 6, y % 5 * 50, 200)) for y in range(height)]


def test_every_row_filter_is_read_back_exactly():
    rows = picture()
    assert png.read_rgb(encode(40, rows)) == (40, 25, rows)
    rgba = [bytes(v for i in range(0, len(r), 3) for v in (*r[i:i + 3], 255)) for r in rows]
    assert png.read_rgb(encode(40, rgba, bpp=4)) == (40, 25, rows)


def test_a_translucent_picture_is_left_alone(tmp_path):
    rows = [bytes([10, 20, 30, 128] * 8)] * 4
    path = tmp_path / "a.png"
    path.write_bytes(encode(8, rows, bpp=4))
    before = path.read_bytes()
    assert png.read_rgb(before) is None and png.shrink(path) == len(before) and path.read_bytes() == before


def test_up_to_256_colours_the_palette_is_exact():
    rows = picture(width=120, height=60)
    assert len({r[i:i + 3] for r in rows for i in range(0, len(r), 3)}) == 200
    assert decode_palette(png.palette_png(120, 60, rows)) == rows


def test_shrinking_rewrites_the_file_with_the_palette(tmp_path):
    import random

    rng = random.Random(1)
    colours = [bytes((rng.randrange(256), rng.randrange(256), rng.randrange(256))) for _ in range(200)]
    noisy = [b"".join(rng.choice(colours) for _x in range(100)) for _y in range(50)]
    path = tmp_path / "noisy.png"
    path.write_bytes(encode(100, noisy))
    before = path.stat().st_size
    assert png.shrink(path) == path.stat().st_size < before / 2
    assert decode_palette(path.read_bytes()) == noisy


def test_beyond_256_colours_the_rare_ones_take_the_nearest():
    common = bytes(c for x in range(256) for c in (x, 0, 0)) * 2  # 256 colours, twice each
    rare = bytes(c for x in range(44) for c in (x, 1, 0))  # 44 more, once each
    out = decode_palette(png.palette_png(len(common + rare) // 3, 1, [common + rare]))[0]
    assert out[:len(common)] == common
    assert out[len(common):] == bytes(c for x in range(44) for c in (x, 0, 0))


# --- the command's refusals -----------------------------------------------------------------

def test_without_chromium_it_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(screenshots, "chromium_path", lambda: None)
    with pytest.raises(CommandError, match="apt-get install chromium"):
        call_command("screenshots")


@pytest.mark.django_db
def test_without_a_county_it_asks_for_the_demo(monkeypatch, tmp_path):
    monkeypatch.setattr(screenshots, "chromium_path", lambda: "/usr/bin/chromium")
    with pytest.raises(CommandError, match="huiying seed-demo"):
        call_command("screenshots", out=str(tmp_path / "shots"))
    assert not (tmp_path / "shots").exists()  # nothing started, nothing written


@pytest.mark.django_db
def test_a_county_without_the_demo_story_is_refused(monkeypatch, network):
    monkeypatch.setattr(screenshots, "chromium_path", lambda: "/usr/bin/chromium")
    with pytest.raises(CommandError, match="no dispute with a mediation session"):
        call_command("screenshots")


def test_a_busy_port_is_refused():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        with pytest.raises(CommandError, match="--port"):
            screenshots.check_port_free(s.getsockname()[1])
