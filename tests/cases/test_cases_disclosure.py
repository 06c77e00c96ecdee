"""Issue 8, finding 10, the check on its own: `disclosure.fields_disclosed_by` finds in a free text the
values of the fields that are not shared (names, birth date in the common Belgian formats, contact
details, school, grade, family, the text of help questions and goals) and nothing else: each finding
has its near-miss beside it. Plain values, no database."""

from __future__ import annotations

import datetime

import pytest

from brugwerk.cases.services.disclosure import dates_in, fields_disclosed_by

VALUES = {
    "first_name": "Youssef",
    "last_name": "El Amrani",
    "birth_date": "2010-01-03",
    "school": "Sint-Amandscollege",
    "grade": {"grade": 3, "education_form": "Double finality"},
    "contact_details": {
        "phone": "0470 11 22 33", "email": "y.ea@mail.test", "street": "Kerkstraat 12", "municipality": "Kortrijk",
    },
    "family": [
        {"relation": "mother", "name": "Fatima Benali", "phone": "056 22 33 44", "email": "fatima@mail.test",
         "languages": "Arabisch", "needs_interpreter": True},
    ],
    "help_questions": [
        {"life_domain": "financiën en inkomen",
         "description": "Het gezin kan de schoolrekening en de uitstappen niet betalen.", "status": "open"},
        {"life_domain": "fysieke gezondheid", "description": "Geen huisarts", "status": "open"},
    ],
    "goals": [{"description": "Een afbetalingsplan met de school voor de rekening van dit jaar", "status": "planned",
               "target_date": ""}],
    "summary": {"opened_on": "2025-09-01", "bridge_figure": "An Brugfiguur", "life_domains": ["wonen"],
                "contacts": 4, "last_contact_on": ""},
}


def disclosed(text: str, shared=()) -> list[str]:
    return fields_disclosed_by(text, values=VALUES, shared=shared)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # names: whole words, any case, any accents and hyphens
        ("Kunnen jullie Youssef helpen?", ["first_name"]),
        ("kunnen jullie YOUSSEF helpen?", ["first_name"]),
        ("Kunnen jullie Yoüssef helpen?", ["first_name"]),
        ("Kunnen jullie Youssefa helpen?", []),
        ("De familie El-Amrani vraagt hulp.", ["last_name"]),
        ("De familie el   amrani vraagt hulp.", ["last_name"]),
        ("De familie Amrani vraagt hulp.", []),
        ("Elamrani", []),
        # the school
        ("Hij zit op het sint amandscollege.", ["school"]),
        ("Hij woont vlak bij Sint-Amandsberg.", []),
        # the grade, not a duration
        ("Zit in het 3de jaar.", ["grade"]),
        ("Zit in leerjaar 3.", ["grade"]),
        ("Wacht al 3 jaar op hulp.", []),
        ("Zit in het 4de jaar.", []),
        # contact details
        ("Bel hem op 0470112233.", ["contact_details"]),
        ("Bel hem op +32 470 11 22 33.", ["contact_details"]),
        ("Bel hem op 0032 470/11.22.33.", ["contact_details"]),
        ("Bel hem op 0470 11 22 34.", []),
        ("Mail naar y.ea@mail.test.", ["contact_details"]),
        ("Mail naar Y.EA@MAIL.TEST", ["contact_details"]),
        ("Mail naar y.ea@mail.tester", []),
        ("Mail naar ay.ea@mail.test", []),
        ("Mail naar youssef@mail.test", ["first_name"]),  # another address, but it holds the first name
        ("Hij woont in de Kerkstraat 12.", ["contact_details"]),
        ("Hij woont in de Kerkstraat 121.", []),
        ("Hij woont in de Kerkstraat.", []),
        ("Hij woont in Kortrijk.", []),  # a place name alone singles no one out
        # the family
        ("Mama Fatima Benali spreekt Arabisch.", ["family"]),
        ("Bel mama op 056/22.33.44.", ["family"]),
        ("Mail mama op fatima@mail.test", ["family"]),
        ("Mama Fatima spreekt Arabisch.", []),
        # help questions: the whole text, or six consecutive words of it, case- and whitespace-insensitive
        ("Het gezin kan de schoolrekening en de uitstappen niet betalen.", ["help_questions"]),
        ("Vraag: HET GEZIN  kan de\nschoolrekening en verder niets", ["help_questions"]),
        ("Het gezin kan de schoolrekening niet betalen.", []),  # five words in a row, then it differs
        ("Het gezin kan de rekening en de uitstappen niet betalen.", []),  # never six in a row
        ("Ze hebben geen huisarts.", ["help_questions"]),  # a short question is found whole
        ("Ze hebben geen vaste huisarts.", []),
        # goals likewise
        ("Doel: een afbetalingsplan met de school voor de rekening.", ["goals"]),
        ("Doel: een afbetalingsplan met de bank.", []),
        # the summary holds nothing of the young person to look for
        ("Begeleid door An Brugfiguur sinds 1/9/2025, rond wonen.", []),
        ("", []),
    ],
)
def test_each_field_is_found_and_its_near_miss_is_not(text, found):
    assert disclosed(text) == found


@pytest.mark.parametrize(
    "written",
    ["3/1/2010", "03/01/2010", "3-1-2010", "03-01-2010", "3.1.2010", "03.01.10", "3 / 1 / 2010", "2010-01-03",
     "2010/1/3", "3 januari 2010", "3 JANUARI 2010", "3 jan. 2010", "3 jan 2010", "03 januari 2010", "3 janvier 2010",
     "3e januari 2010"],
)
def test_the_birth_date_is_found_in_common_belgian_formats(written):
    assert disclosed(f"Geboren op {written}, dus nog minderjarig.") == ["birth_date"]


@pytest.mark.parametrize(
    "written",
    ["4/1/2010", "3/1/2011", "1/3/2010", "2010-03-01", "3 februari 2010", "3 januari", "januari 2010", "2010",
     "13/1/2010", "3/1/20100", "33/1/2010"],
)
def test_another_date_or_a_part_of_the_birth_date_is_not_it(written):
    assert disclosed(f"Afspraak op {written}.") == []


def test_only_fields_that_are_not_shared_are_reported_in_the_vocabularys_order():
    text = ("Youssef (3/1/2010) van het Sint-Amandscollege: het gezin kan de schoolrekening en de uitstappen "
            "niet betalen.")
    assert disclosed(text) == ["first_name", "birth_date", "school", "help_questions"]
    assert disclosed(text, shared=["first_name", "birth_date", "school"]) == ["help_questions"]
    assert disclosed(text, shared=["first_name", "birth_date", "school", "help_questions"]) == []


def test_a_field_without_a_value_is_never_found():
    values = {"first_name": "", "last_name": "", "birth_date": "", "contact_details": {"phone": "", "email": ""},
              "family": [], "help_questions": [{"description": ""}]}
    assert fields_disclosed_by("Iets over 1/1/2000 en 0470 11 22 33.", values=values, shared=()) == []


def test_dates_in_reads_every_format_once_and_skips_impossible_ones():
    assert dates_in("3/1/2010, 2010-01-03 en 3 januari 2010; niet 31/2/2010") == {datetime.date(2010, 1, 3)}
