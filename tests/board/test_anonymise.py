"""The scrubber: phones and ID numbers never survive, whatever Chinese text they are in."""
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from huiying.board.anonymise import MASK, NAME_MASK, scrub
from huiying.concerns.validators import id_check_digit

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PUNCT = st.sampled_from(list("，。、：；！？（）“”　 ") + list(string.ascii_letters))
# Chinese text, with some punctuation, letters and short numbers (amounts, dates) around.
TEXT = st.lists(st.one_of(CJK, PUNCT, st.integers(0, 999).map(str)), max_size=30).map("".join)
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@st.composite
def mobiles(draw):
    digits = "1" + draw(st.sampled_from("3456789")) + "".join(draw(st.lists(st.sampled_from(string.digits), min_size=9, max_size=9)))
    sep = draw(st.sampled_from(["", " ", "-"]))
    shown = digits if not sep else f"{digits[:3]}{sep}{digits[3:7]}{sep}{digits[7:]}"
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "86-"]))
    return digits, prefix + shown


@st.composite
def landlines(draw):
    area = "0" + "".join(draw(st.lists(st.sampled_from(string.digits), min_size=2, max_size=3)))
    number = draw(st.sampled_from("23456789")) + "".join(draw(st.lists(st.sampled_from(string.digits), min_size=6, max_size=7)))
    form = draw(st.sampled_from(["{a}-{n}", "{a}{n}", "({a}){n}", "（{a}）{n}", "{a} {n}"]))
    return area + number, form.format(a=area, n=number)


@st.composite
def id_numbers(draw):
    first = "".join(draw(st.lists(st.sampled_from(string.digits), min_size=17, max_size=17)))
    if draw(st.booleans()):
        value = first + id_check_digit(first)
    else:
        value = first[:15]  # the old 15-digit numbers
    return value, value if draw(st.booleans()) else value.lower()


def _digits(text: str) -> str:
    return "".join(ch for ch in text.translate(str.maketrans("０１２３４５６７８９", "0123456789")) if ch.isdigit())


def _survives(core: str, out: str) -> bool:
    # The number's digits in a row anywhere in the output, ignoring separators in between.
    return core.rstrip("Xx") in _digits(out) and len(core.rstrip("Xx")) >= 7


@settings(max_examples=300, deadline=None)
@given(before=TEXT, after=TEXT, number=st.one_of(mobiles(), landlines(), id_numbers()), fullwidth=st.booleans())
def test_numbers_never_survive(before, after, number, fullwidth):
    core, shown = number
    if fullwidth:
        shown = shown.translate(FULLWIDTH)
    out = scrub(before + shown + after)
    assert shown not in out
    assert not _survives(core, out), out
    assert MASK in out


@settings(max_examples=100, deadline=None)
@given(before=TEXT, after=TEXT, name=st.text(CJK, min_size=2, max_size=4))
def test_listed_names_never_survive(before, after, name):
    out = scrub(before + name + after, names=[name])
    assert name not in out


def test_examples():
    assert scrub("张小明（电话138 7711 2345，身份证450122198001011234）反映", names=["张小明"]) == f"{NAME_MASK}（电话{MASK}，身份证{MASK}）反映"
    assert scrub("座机0771-5551234") == f"座机{MASK}"
    # Amounts and dates stay: they are what a result is about.
    assert scrub("补助1200元，2026年3月11日到位") == "补助1200元，2026年3月11日到位"
    # A one-character name is not masked (it would blank out ordinary words).
    assert scrub("王家的田", names=["王"]) == "王家的田"
    # Longest name first: 张小明 is masked whole, not as 张小 + 明.
    assert scrub("张小明和张小", names=["张小", "张小明"]) == f"{NAME_MASK}和{NAME_MASK}"
