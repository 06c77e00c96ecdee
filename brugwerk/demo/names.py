"""Invented people for the demo: names drawn from common Flemish first names and surnames (and
names common among Flemish families of other origins), phone numbers in an unassigned-looking
"00" exchange and e-mail addresses under the reserved `.example` top-level domain, so no demo
record can reach a real person."""

from __future__ import annotations

import random
import unicodedata

FIRST_NAMES = [
    "An",
    "Anke",
    "Annelies",
    "Arne",
    "Bart",
    "Bert",
    "Charlotte",
    "Dieter",
    "Dries",
    "Elke",
    "Ellen",
    "Els",
    "Emma",
    "Evelien",
    "Femke",
    "Frederik",
    "Geert",
    "Goedele",
    "Hanne",
    "Hilde",
    "Ines",
    "Jan",
    "Jasper",
    "Jeroen",
    "Joke",
    "Karen",
    "Katrien",
    "Kobe",
    "Koen",
    "Lien",
    "Lieve",
    "Lore",
    "Lukas",
    "Marijke",
    "Mathias",
    "Nathalie",
    "Nele",
    "Nina",
    "Pieter-Jan",
    "Robbe",
    "Ruben",
    "Sarah",
    "Sien",
    "Stijn",
    "Tine",
    "Tom",
    "Veerle",
    "Wim",
    "Wout",
    "Yasmina",
    "Youssef",
    "Zeynep",
    "Amina",
    "Bilal",
    "Hatice",
    "Karim",
    "Leila",
    "Mehmet",
    "Noor",
    "Olena",
    "Rania",
    "Samira",
    "Tarik",
]
LAST_NAMES = [
    "Baert",
    "Becuwe",
    "Benoit",
    "Bossuyt",
    "Callewaert",
    "Claeys",
    "Cnockaert",
    "Coucke",
    "De Bruyne",
    "Debaene",
    "Declercq",
    "Decock",
    "Degryse",
    "Delbeke",
    "Demeyere",
    "Depoorter",
    "Deprez",
    "Desmet",
    "Devos",
    "Dewaele",
    "D'Hondt",
    "Goethals",
    "Goossens",
    "Hoste",
    "Lambrecht",
    "Lefevere",
    "Maes",
    "Mestdagh",
    "Naert",
    "Opsomer",
    "Peeters",
    "Ramon",
    "Soens",
    "Vanackere",
    "Vandamme",
    "Vandenberghe",
    "Vandewalle",
    "Vanhee",
    "Vanneste",
    "Verbeke",
    "Vercruysse",
    "Verhaeghe",
    "Verschuere",
    "Wyffels",
    "Ceylan",
    "El Idrissi",
    "Yilmaz",
    "Kovalenko",
    "Benali",
    "Aydin",
]


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def ascii_slug(text: str) -> str:
    """'Pieter-Jan D'Hondt' -> 'pieter-jan.dhondt' style parts for usernames and addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower().replace(" ", "") if c.isalnum() or c == "-")


def email(first: str, last: str, domain: str) -> str:
    return f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}.example"


def phone(rng: random.Random, area: str = "056") -> str:
    return f"{area} 00 {rng.randint(10, 99)} {rng.randint(10, 99)}"
