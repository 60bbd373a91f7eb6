"""Complainants and their relatives: names, resident id numbers, phones and homes.

Resident identity numbers follow GB 11643-1999: 6-digit region code, 8-digit birth date, 3-digit
sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character (``0-9`` or ``X``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from operator import mul

from simulators.addresses import Address, make_home
from simulators.dice import below, between, pick
from simulators.names import sample_given_name, sample_name, sample_surname
from simulators.places import ID_REGION_CODES, OTHER_GANSU_CODES

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Real mobile number segments of the three carriers (and the 19x newcomers).
MOBILE_PREFIXES: tuple[str, ...] = (
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159", "172",
    "178", "182", "183", "184", "187", "188", "195", "198", "130", "131", "132", "155", "156", "166",
    "175", "176", "185", "186", "196", "133", "149", "153", "173", "177", "180", "181", "189", "190",
    "191", "193", "199",
)  # fmt: skip
# Numbers issued in Lanzhou mostly carry a 931x segment after the prefix (138 9311 xxxx).
_LOCAL_PREFIXES = ("138", "139", "151", "152", "180", "189", "133", "153", "186", "187", "188")


def id_check_char(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    total = sum(map(mul, map(int, first17), _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


@lru_cache(maxsize=65536)
def _weighted_sum(digits: str, offset: int) -> int:
    """The MOD 11-2 weighted sum of ``digits`` placed at ``offset`` in the id (cached: stems repeat)."""
    return sum(map(mul, map(int, digits), _ID_WEIGHTS[offset : offset + len(digits)]))


_SEQUENCES = tuple((f"{seq:03d}", _weighted_sum(f"{seq:03d}", 14)) for seq in range(1000))


def is_valid_id(number: str) -> bool:
    """Whether ``number`` is a well-formed 18-character resident id with a correct check character."""
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_check_char(number[:17]) == number[17]


@dataclass(slots=True)
class Person:
    """One resident.

    Attributes:
        key: stable ground-truth key (``P0000001``).
        surname, given: the name in two parts (the app asks for them separately).
        gender: ``m`` or ``f``.
        birth: date of birth.
        id_number: 18-character resident id.
        mobile: main mobile number (11 digits).
        alt_phone: a second mobile or a ``0931-`` landline, or empty.
        home: home address.
        disputes: how many disputes this person has in the world.
    """

    key: str
    surname: str
    given: str
    gender: str
    birth: date
    id_number: str
    mobile: str
    alt_phone: str
    home: Address
    disputes: int = 0

    @property
    def name(self) -> str:
        """The full name, surname first."""
        return self.surname + self.given

    def age_on(self, day: date) -> int:
        """Age in whole years on ``day``."""
        return day.year - self.birth.year - ((day.month, day.day) < (self.birth.month, self.birth.day))


class Population:
    """Creates unique people: no two share an id number or a mobile number."""

    def __init__(self, rng: random.Random, today: date, popular: float = 0.10) -> None:
        self.rng = rng
        self.today = today
        self.popular = popular  # share of given names from the era's popular few
        self.people: list[Person] = []
        self._ids: set[str] = set()
        self._phones: set[str] = set()
        self._born: dict[date, tuple[str, int]] = {}

    def _birth(self, min_age: int = 18, max_age: int = 82) -> date:
        age = min(max_age, max(min_age, int(self.rng.triangular(min_age, max_age, 40))))
        return self.today - timedelta(days=int(age * 365.25) + between(self.rng, 1, 364))

    def _id_number(self, home: Address, birth: date, gender: str) -> str:
        rand = self.rng.random
        codes = OTHER_GANSU_CODES if rand() < 0.12 else ID_REGION_CODES[home.district]
        region = codes[int(rand() * len(codes))]
        born = self._born.get(birth)
        if born is None:
            text = f"{birth.year:04d}{birth.month:02d}{birth.day:02d}"
            born = self._born[birth] = (text, _weighted_sum(text, 6))
        parity = 1 if gender == "m" else 0
        for code in (region, *OTHER_GANSU_CODES):
            stem = code + born[0]
            partial = _weighted_sum(code, 0) + born[1]
            for _ in range(64):
                digits, partial_seq = _SEQUENCES[int(rand() * 500) * 2 + parity]
                number = stem + digits + _ID_CHECK[(partial + partial_seq) % 11]
                if number not in self._ids:
                    self._ids.add(number)
                    return number
        raise RuntimeError(f"no free id number for {born[0]}")  # never with realistic population sizes

    def mobile(self) -> str:
        """A new, unused 11-digit mobile number."""
        rng = self.rng
        while True:
            if rng.random() < 0.3:
                number = f"{pick(rng, _LOCAL_PREFIXES)}931{below(rng, 100_000):05d}"
            else:
                number = pick(rng, MOBILE_PREFIXES) + f"{below(rng, 100_000_000):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def landline(self) -> str:
        """A Lanzhou landline, ``0931-`` and 7 digits (first digit 2-8)."""
        return f"0931-{between(self.rng, 2, 8)}{below(self.rng, 1_000_000):06d}"

    def new(
        self,
        home: Address | None = None,
        name: tuple[str, str] | None = None,
        gender: str | None = None,
        birth: date | None = None,
    ) -> Person:
        """Create a person; any of ``home``, ``name``, ``gender``, ``birth`` may be imposed."""
        rng = self.rng
        gender = gender or ("m" if rng.random() < 0.52 else "f")
        birth = birth or self._birth()
        home = home or make_home(rng)
        surname, given = name or sample_name(rng, gender, birth.year, self.popular)
        roll = rng.random()
        alt = self.mobile() if roll < 0.08 else (self.landline() if roll < 0.18 else "")
        person = Person(
            key=f"P{len(self.people) + 1:07d}", surname=surname, given=given, gender=gender, birth=birth,
            id_number=self._id_number(home, birth, gender), mobile=self.mobile(), alt_phone=alt, home=home,
        )  # fmt: skip
        self.people.append(person)
        return person

    def relative_of(self, person: Person) -> tuple[Person, str]:
        """A grown child or spouse who may visit the petition office on ``person``'s behalf.

        Half of them share the complainant's home; the other half live elsewhere in the city.

        Returns:
            The relative and how they relate to ``person`` (``儿子``, ``女儿``, ``丈夫``, ``妻子``).
        """
        rng = self.rng
        home = person.home if rng.random() < 0.5 else None
        age = person.age_on(self.today)
        if age >= 50 and rng.random() < 0.75:
            gender = "m" if rng.random() < 0.55 else "f"
            child_age = max(19, age - between(rng, 22, 34))
            birth = self.today - timedelta(days=int(child_age * 365.25) + between(rng, 1, 364))
            surname = person.surname if rng.random() < 0.92 else sample_surname(rng)
            name = (surname, sample_given_name(rng, gender, birth.year, self.popular))
            child = self.new(home=home, name=name, gender=gender, birth=birth)
            return child, "儿子" if gender == "m" else "女儿"
        gender = "f" if person.gender == "m" else "m"
        adult = self.today - timedelta(days=int(19 * 365.25))
        birth = min(adult, person.birth + timedelta(days=between(rng, -1500, 1500)))
        spouse = self.new(home=home, gender=gender, birth=birth)
        return spouse, "妻子" if gender == "f" else "丈夫"

    def namesake_of(self, person: Person, same_street: bool) -> Person:
        """A different person with the same name and gender in the same district (or street)."""
        home = make_home(self.rng, person.home.district, person.home.street if same_street else None)
        return self.new(home=home, name=(person.surname, person.given), gender=person.gender)
