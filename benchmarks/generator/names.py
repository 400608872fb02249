"""Names, indications and how often each walks in: the generated clinic's vocabulary."""

from datetime import time as clock_time

from scheduler.models import Category

BATCH = 5000
CELLS_PER_DAY = 16  # half hours from 09:00 to 17:00
DAY_OPENS = clock_time(9)
DENTAL = {"bruxism", "jaw-clenching", "tmj"}
# How often each indication walks in; migraine and frown lines are the bulk of the work.
TYPE_WEIGHTS = {
    "migraine": 20,
    "neck-pain": 6,
    "bruxism": 6,
    "jaw-clenching": 3,
    "tmj": 3,
    "trigger-points": 3,
    "shoulder-back-pain": 3,
    "muscle-spasms": 3,
    "hyperhidrosis": 5,
    "forehead-lines": 12,
    "frown-lines": 18,
    "crows-feet": 12,
    "laugh-lines": 5,
}
FIRST_NAMES = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Charlotte",
    "William",
    "Amelia",
    "Benjamin",
    "Sophia",
    "Lucas",
    "Mia",
    "Ethan",
    "Harper",
    "Jacob",
    "Ava",
    "Jack",
    "Chloe",
    "Leo",
    "Zoe",
    "Nathan",
    "Alice",
    "Samuel",
    "Léa",
    "Thomas",
    "Maya",
    "Gabriel",
    "Nora",
    "Félix",
]
LAST_NAMES = [
    "Martin",
    "Tremblay",
    "Roy",
    "Gagnon",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Singh",
    "Nguyen",
    "Smith",
    "Brown",
    "Wilson",
    "Chen",
    "Patel",
]
DIAGNOSES = {
    Category.THERAPEUTIC: "Chronic condition confirmed on examination; botulinum toxin indicated.",
    Category.COSMETIC: "Dynamic lines suitable for treatment.",
}
