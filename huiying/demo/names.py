"""Generated names and personal data for the demo county: people, places, ID card numbers,
phone numbers and login names. Everything is drawn from a `random.Random` the caller
seeds, so the same seed gives the same names.

Place names follow the Zhuang naming of southwest Guangxi: 那 (rice field), 板 (village),
弄/陇 (valley), 岜 (rock hill), 渌 (hollow), 念 (spring), 百/伏/派 … followed by a second
syllable; hamlets add 屯, or are 岭/坡 hills and 上/下/新 halves of an older hamlet.
"""
import datetime as dt
import random

from pypinyin import Style, lazy_pinyin

from huiying.concerns.validators import id_check_digit

# Surnames common in Ningming and the neighbouring counties, weighted roughly by frequency.
SURNAMES = [
    ("黄", 14), ("韦", 10), ("李", 8), ("陆", 7), ("梁", 6), ("农", 6), ("蒙", 5), ("覃", 5), ("莫", 4),
    ("马", 3), ("赵", 3), ("张", 3), ("潘", 3), ("凌", 2), ("卢", 3), ("吴", 2), ("何", 2), ("苏", 2),
    ("罗", 2), ("廖", 2), ("杨", 2), ("谭", 2), ("周", 1), ("刘", 2), ("陈", 2), ("林", 1), ("闭", 2),
    ("许", 1), ("宁", 1), ("冯", 1), ("方", 1), ("零", 1), ("麻", 1),
]
_SURNAME_CHOICES = [s for s, _w in SURNAMES]
_SURNAME_WEIGHTS = [w for _s, w in SURNAMES]
GIVEN = (
    "文明海兰芳秀英华军强丽春桂金玉成建国志德忠平红燕梅凤荣福生寿宝才光东南新家祥勇斌婷霞丹琳雪"
    "佳俊杰伟超敏静丽娟宏民武庆富贵有昌永林山清水月云江晓珍美爱莲妹达彩艳运连顺利"
)

# Zhuang place-name syllables.
PLACE_HEADS = "那板弄陇岜渌念百伏派叫咘排坡更谷驮"
PLACE_TAILS = "孟怀标烈利美敏丹吉桑坤廷蒙龙江湾旺良禄勒床腊荣堪楠隆亭卜逢盘峒兰花坝汤何乐造布岑录凭"
HAMLET_PREFIXES = "上下中新旧"


def person_name(rng: random.Random) -> str:
    surname = rng.choices(_SURNAME_CHOICES, _SURNAME_WEIGHTS)[0]
    n = 2 if rng.random() < 0.7 else 1
    return surname + "".join(rng.choice(GIVEN) for _ in range(n))


def place_stem(rng: random.Random) -> str:
    return rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)


def village_name(rng: random.Random, taken: set[str]) -> str:
    """A village name (那怀村), not in `taken`; the caller adds it."""
    while True:
        name = place_stem(rng) + "村"
        if name not in taken:
            return name


def hamlet_name(rng: random.Random, taken: set[str], village_stem: str) -> str:
    """A hamlet name (板烈屯, 那敏岭, 下弄屯 …), not in `taken` within its village."""
    while True:
        r = rng.random()
        if r < 0.62:
            name = place_stem(rng) + "屯"
        elif r < 0.74:
            name = rng.choice(HAMLET_PREFIXES) + village_stem[0] + rng.choice(PLACE_TAILS) + "屯"
        elif r < 0.87:
            name = place_stem(rng) + "岭"
        else:
            name = place_stem(rng) + "坡"
        if name not in taken:
            return name


def mobile(rng: random.Random) -> str:
    """A mainland mobile number, 1[3-9]xxxxxxxxx."""
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def id_number(rng: random.Random, *, region: str, born: dt.date, taken: set[str]) -> str:
    """An 18-character resident ID number (GB 11643) with a correct check digit."""
    while True:
        first17 = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
        value = first17 + id_check_digit(first17)
        if value not in taken:
            taken.add(value)
            return value


def birth_date(rng: random.Random, *, oldest: int = 1938, youngest: int = 2004) -> dt.date:
    start = dt.date(oldest, 1, 1).toordinal()
    end = dt.date(youngest, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end))


def login_name(full_name: str, taken: set[str]) -> str:
    """黄文明 → huangwm (huangwm2, huangwm3 … when taken); the caller adds it."""
    syllables = lazy_pinyin(full_name, style=Style.NORMAL)
    base = (syllables[0] + "".join(s[0] for s in syllables[1:])).lower() if syllables else "user"
    base = "".join(ch for ch in base if ch.isascii() and ch.isalnum()) or "user"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    return name
