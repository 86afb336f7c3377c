"""Scrubbing free text before it is posted on the public board (公示内容脱敏).

`scrub(text, names=...)` replaces
- mainland mobile numbers (1[3-9]…, 11 digits, optionally +86 and spaces or dashes between),
- landline numbers (0 + area code + 7–8 digits, optionally in brackets or with a dash),
- ID card numbers (15 digits, or 17 digits and a check digit 0–9/X),
- and, as a net under those, any run of 7 or more digits (with spaces or dashes inside)
  by ＊＊＊; and every name in `names` (the concern's villagers, the mediation parties, every
  villager of the hamlet's village, so a neighbour named in the text is caught too) by 某某.
Full-width digits (１３８…) count as digits.

What it cannot catch, and why staff still read what they post:
- names of people who are not villagers of that village (a relative in town, an official)
  or written differently (a nickname, 老张, 张某, a name split by a space or in pinyin);
- one-character names (they would blank out ordinary words), so they are left;
- numbers written in Chinese numerals (一三八…) or with other separators (dots, slashes);
- identifying descriptions ("the widow at the east end of the hamlet").
"""
import re
from collections.abc import Iterable

MASK = "＊＊＊"
NAME_MASK = "某某"

_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")
_SEP = r"[ \-\u00a0\u3000]?"
_PATTERNS = [
    # ID card numbers first: a mobile-looking run inside one must not leave the rest.
    re.compile(r"(?<![0-9])[0-9]{17}[0-9xX](?![0-9])"),
    re.compile(r"(?<![0-9])[0-9]{15}(?![0-9])"),
    re.compile(r"(?:\+?86" + _SEP + r")?(?<![0-9])1[3-9][0-9](?:" + _SEP + r"[0-9]){8}(?![0-9])"),
    re.compile(r"[(（]?(?<![0-9])0[0-9]{2,3}[)）]?" + _SEP + r"[0-9]{7,8}(?![0-9])"),
    # The net: any long run of digits, whatever it is, is not for the board.
    re.compile(r"[0-9](?:" + _SEP + r"[0-9]){6,}[xX]?"),
]
MIN_NAME_LENGTH = 2


def _spans(text: str) -> list[tuple[int, int]]:
    # Match on a copy with full-width digits made ASCII: same length, so spans carry over.
    probe = text.translate(_FULLWIDTH)
    spans = []
    for pattern in _PATTERNS:
        spans += [m.span() for m in pattern.finditer(probe)]
    return spans


def _replace_spans(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in sorted(spans):
        if end <= pos:
            continue
        start = max(start, pos)
        out += [text[pos:start], MASK]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def scrub_numbers(text: str) -> str:
    # Repeat until nothing changes: masking can join digits that were apart.
    while True:
        spans = _spans(text)
        if not spans:
            return text
        text = _replace_spans(text, spans)


def name_pattern(names: Iterable[str]) -> re.Pattern | None:
    """One alternation of the names, longest first (张小明 before 张小)."""
    cleaned = {n.strip() for n in names if n and len(n.strip()) >= MIN_NAME_LENGTH}
    if not cleaned:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(cleaned, key=lambda n: (-len(n), n))))


def scrub(text: str, *, names: Iterable[str] = (), pattern: re.Pattern | None = None) -> str:
    """`text` with phone numbers, ID numbers, long digit runs and `names` masked."""
    text = text or ""
    pattern = pattern or name_pattern(names)
    if pattern is not None:
        text = pattern.sub(NAME_MASK, text)
    return scrub_numbers(text)


def concern_names(concern) -> set[str]:
    """Every name that may appear in a concern's texts: its villagers, its mediation parties,
    and all villagers of its village (the hamlet's village, else the receiving village)."""
    return Scrubber().names(concern)


class Scrubber:
    """Scrubs texts of many concerns, asking for each village's villagers once and compiling
    each name pattern once (a listing of a thousand concerns, a batch of thirty)."""

    def __init__(self):
        self._village_names: dict[int | None, frozenset[str]] = {}
        self._patterns: dict[tuple, re.Pattern | None] = {}

    @staticmethod
    def _village_id(concern) -> int | None:
        return concern.hamlet.village_id if concern.hamlet_id else concern.received_village_id

    def _village(self, concern) -> frozenset[str]:
        from huiying.concerns.models import Villager

        village_id = self._village_id(concern)
        if village_id not in self._village_names:
            qs = Villager.objects.filter(hamlet__village_id=village_id).values_list("name", flat=True) if village_id else []
            self._village_names[village_id] = frozenset(qs)
        return self._village_names[village_id]

    @staticmethod
    def _own(concern) -> frozenset[str]:
        own = set(concern.villagers.values_list("name", flat=True))
        for parties in concern.mediation_sessions.values_list("parties", flat=True):
            own.update(str(p) for p in (parties or []))
        return frozenset(own)

    def names(self, concern) -> set[str]:
        return set(self._village(concern) | self._own(concern))

    def pattern(self, concern) -> re.Pattern | None:
        own = self._own(concern)
        key = (self._village_id(concern), own)
        if key not in self._patterns:
            self._patterns[key] = name_pattern(self._village(concern) | own)
        return self._patterns[key]

    def __call__(self, concern, text: str) -> str:
        return scrub(text, pattern=self.pattern(concern))
