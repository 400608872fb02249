"""The treatment catalogue the clinic starts with (docs/rules.md#catalogue).

Intervals: about three months, about six for excessive sweating. Minimum re-injection
days follow the product labels: 12 weeks for chronic migraine, at least 90 days for
cosmetic lines, no more often than every 16 weeks for axillary hyperhidrosis.
"""

from typing import TypedDict


class CatalogueRow(TypedDict):
    code: str
    name: str
    category: str
    recall_interval_days: int
    min_reinjection_days: int
    review_after_days: int | None
    typical_units: int


def _therapeutic(code: str, name: str, units: int, recall: int = 90, gap: int = 84) -> CatalogueRow:
    return {
        "code": code,
        "name": name,
        "category": "therapeutic",
        "recall_interval_days": recall,
        "min_reinjection_days": gap,
        "review_after_days": None,
        "typical_units": units,
    }


def _cosmetic(code: str, name: str, units: int) -> CatalogueRow:
    return {
        "code": code,
        "name": name,
        "category": "cosmetic",
        "recall_interval_days": 90,
        "min_reinjection_days": 90,
        "review_after_days": 14,
        "typical_units": units,
    }


SEED_CATALOGUE: list[CatalogueRow] = [
    _therapeutic("migraine", "Migraines and headaches", 155),
    _therapeutic("neck-pain", "Neck pain", 100),
    _therapeutic("bruxism", "Teeth grinding (bruxism)", 50),
    _therapeutic("jaw-clenching", "Jaw clenching", 50),
    _therapeutic("tmj", "TMJ disorder", 50),
    _therapeutic("trigger-points", "Trigger points (muscle pain)", 100),
    _therapeutic("shoulder-back-pain", "Shoulder and back pain", 100),
    _therapeutic("muscle-spasms", "Muscle spasms", 100),
    _therapeutic("hyperhidrosis", "Excessive sweating (hyperhidrosis)", 100, recall=180, gap=112),
    _cosmetic("forehead-lines", "Forehead lines", 20),
    _cosmetic("frown-lines", "Frown lines", 20),
    _cosmetic("crows-feet", "Crow's feet", 24),
    _cosmetic("laugh-lines", "Laugh lines", 10),
]
