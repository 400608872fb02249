"""The seeded injection-site templates, by treatment code (editable in the admin afterwards).

The migraine pattern is the published 31-site, 155-unit one: 5 units at each site.
"""

from typing import Any, TypedDict


class SiteRow(TypedDict):
    code: str
    name: str
    default_units: int


def _sides(code: str, name: str, count: int, units: int) -> list[SiteRow]:
    rows: list[SiteRow] = []
    for side, word in (("l", "left"), ("r", "right")):
        for n in range(1, count + 1):
            suffix = f" {n}" if count > 1 else ""
            rows.append(
                {
                    "code": f"{code}-{side}{n if count > 1 else ''}",
                    "name": f"{name}, {word}{suffix}",
                    "default_units": units,
                }
            )
    return rows


def _one(code: str, name: str, units: int) -> SiteRow:
    return {"code": code, "name": name, "default_units": units}


MIGRAINE = [
    _one("procerus", "Procerus", 5),
    *_sides("corrugator", "Corrugator", 1, 5),
    *_sides("frontalis", "Frontalis", 2, 5),
    *_sides("temporalis", "Temporalis", 4, 5),
    *_sides("occipitalis", "Occipitalis", 3, 5),
    *_sides("cervical", "Cervical paraspinal", 2, 5),
    *_sides("trapezius", "Trapezius", 3, 5),
]
AXILLAE = _sides("axilla", "Axilla", 1, 50)
MASSETERS = _sides("masseter", "Masseter", 1, 25)
GLABELLA = [
    _one("procerus", "Procerus", 4),
    *_sides("corrugator-medial", "Corrugator medial", 1, 4),
    *_sides("corrugator-lateral", "Corrugator lateral", 1, 4),
]
CROWS_FEET = _sides("orbicularis", "Lateral orbicularis", 3, 4)
FOREHEAD = [
    _one("frontalis-c", "Frontalis, centre", 4),
    *_sides("frontalis-medial", "Frontalis medial", 1, 4),
    *_sides("frontalis-lateral", "Frontalis lateral", 1, 4),
]

SEED_SITES: dict[str, list[SiteRow]] = {
    "migraine": MIGRAINE,
    "hyperhidrosis": AXILLAE,
    "bruxism": MASSETERS,
    "jaw-clenching": MASSETERS,
    "tmj": MASSETERS,
    "frown-lines": GLABELLA,
    "crows-feet": CROWS_FEET,
    "forehead-lines": FOREHEAD,
}


def seed_sites(*, site_model: Any, treatment_model: Any) -> None:
    """Write the seeded templates; takes the models so a migration can pass its historical ones."""
    treatments = {t.code: t for t in treatment_model.objects.filter(code__in=SEED_SITES)}
    for code, rows in SEED_SITES.items():
        treatment = treatments.get(code)
        if treatment is None:
            continue
        for position, row in enumerate(rows):
            site_model.objects.update_or_create(
                treatment_type=treatment,
                code=row["code"],
                defaults={**row, "position": position},
            )
