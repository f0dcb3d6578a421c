"""One folding for indexing, queries, entities and snippets, across the languages of the archives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index import Archive, SearchRequest
from index.analysis import entities
from index.analysis.folding import fold, name_key

# (language, as written, as a reader without the letters types it)
LETTERS = [
    ("en", "Café naïve résumé coöperate", "cafe naive resume cooperate"),
    ("fr", "Hanoï Azerbaïdjan œuvre Noël ÉTÉ ça", "hanoi azerbaidjan oeuvre noel ete ca"),
    ("de", "Straße Müller GRÖẞE Ärger", "strasse muller grosse arger"),
    ("es", "España año pingüino Ñandú", "espana ano pinguino nandu"),
    ("pt", "São João ação Açores", "sao joao acao acores"),
    ("vi", "Nguyễn Phú Trọng Đà Nẵng Hà Nội Tô Lâm ư ơ", "nguyen phu trong da nang ha noi to lam u o"),
    ("az", "İlham Əliyev Azərbaycan Bakı Gəncə Şuşa ğ ç ö ü", "ilham eliyev azerbaycan baki gence susa g c o u"),
    ("tr", "İstanbul Iğdır Erdoğan Şişli ılık", "istanbul igdir erdogan sisli ilik"),
    ("ru", "Ёлка Москва Лавров", "елка москва лавров"),
    ("nordic", "Ørsted Þór Ðuro Łódź Æsir", "orsted thor duro lodz aesir"),
    ("quotes", "Ngo’s d‘Azur ʼ", "ngo's d'azur '"),
]


@pytest.mark.parametrize(("language", "written", "typed"), LETTERS, ids=[row[0] for row in LETTERS])
def test_every_language_folds_to_what_a_user_types(language: str, written: str, typed: str) -> None:
    assert fold(written) == fold(typed)


def test_azerbaijani_names_key_as_the_english_press_spells_them() -> None:
    assert [name_key(w) for w in ("Əliyev", "Heydər", "Gəncə", "Xəzər", "Məmmədov", "İlham")] == [
        "aliyev",
        "heydar",
        "ganja",
        "khazar",
        "mammadov",
        "ilham",
    ]
    assert name_key("Erdoğan") == "erdogan"  # Turkish has no ə: not transliterated


@given(st.text())
def test_folding_any_text_is_idempotent_and_name_keys_fold(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(name_key(text)) == name_key(text)


AZERBAIJANI = """Prezident İlham Əliyev Vyetnam Kommunist Partiyası Mərkəzi Komitəsinin Baş katibi Tô Lâm ilə görüşüb.

Görüşdə Azərbaycan ilə Vyetnam arasında əməkdaşlıq müzakirə olunub. Heydər Əliyev 1983-cü ildə Vyetnama səfər edib.
"""


def test_an_article_spelled_in_azerbaijani_is_found_as_users_type(tmp_path: Path) -> None:
    folder = tmp_path / "az"
    folder.mkdir()
    (folder / "gorus.txt").write_text("# date = 2025-05-07\n\n" + AZERBAIJANI, "utf-8")
    archive = Archive(folder, tmp_path / "data")
    archive.update()
    for query in (
        "Əliyev",
        "Eliyev",
        "eliyev",
        "Azərbaycan",
        "Azerbaycan",
        'person:"Ilham Aliyev"',
        'person:"Heydar Aliyev"',
        "place:Azerbaijan",
        'person:"To Lam"',
        "Ilham",
    ):
        assert archive.search(SearchRequest(query)).total == 1, query
    names = {(m.type, m.canonical) for m in entities.extract(AZERBAIJANI, "az")}
    assert {("PERSON", "Ilham Aliyev"), ("PERSON", "Heydar Aliyev"), ("PLACE", "Azerbaijan")} <= names
    archive.close()
