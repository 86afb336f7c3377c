"""Make a screenshot PNG small enough to keep in the repository: an 8-bit palette.

A page screenshot has a few backgrounds, a few text colours and their anti-aliased edges:
some hundreds to a few thousand colours, nearly all pixels in the 256 most common. Those
256 become the palette (exact when there are no more), any other colour its nearest
neighbour; rows are stored unfiltered, which suits palette images. About a third of
Chromium's size, without Pillow or a PNG tool to install. Pure Python, a second or two for
a long page.
"""
import struct
import zlib
from collections import Counter
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunks(data: bytes):
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG file")
    i = len(SIGNATURE)
    while i < len(data):
        (n,) = struct.unpack(">I", data[i:i + 4])
        yield data[i + 4:i + 8], data[i + 8:i + 8 + n]
        i += 12 + n


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def read_rgb(data: bytes) -> tuple[int, int, list[bytes]] | None:
    """(width, height, rows of RGB bytes) of an 8-bit RGB or opaque RGBA PNG; None for any
    other kind (left as it is)."""
    header, idat = None, []
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, colour, _compression, _filter, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in (2, 6) or interlace:
        return None
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:  # Sub
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 0xFF
        elif kind == 2:  # Up
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif kind == 3:  # Average
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 0xFF
        elif kind == 4:  # Paeth
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        prev = line
        if bpp == 4:
            if any(alpha != 0xFF for alpha in line[3::4]):
                return None
            rgb = bytearray(width * 3)
            rgb[0::3], rgb[1::3], rgb[2::3] = line[0::4], line[1::4], line[2::4]
            line = rgb
        rows.append(bytes(line))
    return width, height, rows


def palette_png(width: int, height: int, rows: list[bytes]) -> bytes:
    """An 8-bit palette PNG of `rows` (RGB bytes): exact up to 256 colours."""
    counts = Counter()
    for row in rows:
        counts.update(row[i:i + 3] for i in range(0, len(row), 3))
    palette = [colour for colour, _n in counts.most_common(256)]
    index = {colour: i for i, colour in enumerate(palette)}
    rgb = [tuple(c) for c in palette]

    def nearest(colour: bytes) -> int:
        r, g, b = colour
        return min(range(len(rgb)), key=lambda i: (rgb[i][0] - r) ** 2 + (rgb[i][1] - g) ** 2 + (rgb[i][2] - b) ** 2)

    pixels = bytearray()
    for row in rows:
        pixels.append(0)  # filter: none
        for i in range(0, len(row), 3):
            colour = row[i:i + 3]
            j = index.get(colour)
            if j is None:
                j = index[colour] = nearest(colour)
            pixels.append(j)
    return (
        SIGNATURE
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
        + _chunk(b"PLTE", b"".join(palette))
        + _chunk(b"IDAT", zlib.compress(bytes(pixels), 9))
        + _chunk(b"IEND", b"")
    )


def shrink(path: Path) -> int:
    """Rewrite the PNG at `path` with a palette if that makes it smaller; its new size."""
    data = path.read_bytes()
    image = read_rgb(data)
    if image is not None:
        smaller = palette_png(*image)
        if len(smaller) < len(data):
            path.write_bytes(smaller)
            return len(smaller)
    return len(data)
