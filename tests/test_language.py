"""Language identification on article-length text."""

from __future__ import annotations

import pytest

from index.analysis import language
from index.analysis.language import detect, normalise

SAMPLES = {
    "en": "The foreign ministers of the two countries met on Tuesday to discuss trade, energy and education. "
    "They agreed to hold the next session of the intergovernmental commission in the capital next year.",
    "fr": "Les ministres des Affaires étrangères des deux pays se sont réunis mardi pour discuter du commerce, "
    "de l'énergie et de l'éducation. Ils ont convenu de tenir la prochaine session de la commission l'an prochain.",
    "vi": "Bộ trưởng Ngoại giao hai nước đã gặp nhau vào thứ Ba để thảo luận về thương mại, năng lượng và giáo dục. "
    "Hai bên nhất trí tổ chức kỳ họp tiếp theo của Ủy ban liên chính phủ tại thủ đô vào năm tới.",
    "az": "İki ölkənin xarici işlər nazirləri çərşənbə axşamı görüşərək ticarət, enerji və təhsil "
    "məsələlərini müzakirə ediblər. Tərəflər hökumətlərarası komissiyanın növbəti iclasını gələn il "
    "paytaxtda keçirməyə razılaşıblar.",
    "ru": "Министры иностранных дел двух стран встретились во вторник, чтобы обсудить торговлю, энергетику и "
    "образование. Стороны договорились провести следующее заседание межправительственной комиссии в столице.",
    "de": "Die Außenminister der beiden Länder trafen sich am Dienstag, um über Handel, Energie und Bildung zu "
    "sprechen. Sie vereinbarten, die nächste Sitzung der Regierungskommission im kommenden Jahr abzuhalten.",
    "es": "Los ministros de Asuntos Exteriores de los dos países se reunieron el martes para hablar de comercio, "
    "energía y educación. Acordaron celebrar la próxima sesión de la comisión intergubernamental el año próximo.",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_tells_the_languages_apart(language: str) -> None:
    assert detect(SAMPLES[language]) == language


def test_a_lead_without_words_does_not_hide_the_language() -> None:
    table = "2025 | 12.4 | 13.9 | 41.0 | 7.7 | 2024 | 11.2 | 15.0 | 38.4 | 6.9\n" * 9
    assert len(table) > 500
    assert detect(table + SAMPLES["fr"]) == "fr"


@pytest.mark.parametrize(
    ("text", "language"),
    [  # one-sentence summaries, as news feeds give
        ("市役所は今日、新しい地下鉄の路線が来年の春に開業すると発表しました。", "ja"),
        ("市政府今天宣布，新的地铁线路将于明年春天开通，沿线居民出行将更加方便。", "zh"),
        ("أعلنت البلدية اليوم أن خط المترو الجديد سيفتح في الربيع المقبل أمام السكان", "ar"),
    ],
)
def test_a_sentence_in_a_script_few_languages_share_is_enough(text: str, language: str) -> None:
    assert detect(text) == language


def test_a_short_text_in_the_latin_alphabet_needs_a_sure_model() -> None:
    assert detect("Ilham Aliyev met Vo Van Thuong in Baku on Monday morning") == "und"  # names, no language


def test_too_little_text_is_undetermined() -> None:
    assert detect("Baku 2025") == "und"
    assert detect("+ ↺ − 16 px") == "und"


@pytest.mark.parametrize(
    ("value", "code"), [("English", "en"), ("fr-FR", "fr"), ("vi", "vi"), ("Deutsch", "de"), ("??", None)]
)
def test_normalise_stated_languages(value: str, code: str | None) -> None:
    assert normalise(value) == code


@pytest.mark.parametrize(("variety", "written"), [("wuu", "zh"), ("yue", "zh"), ("arz", "ar")])
def test_a_variety_is_indexed_as_its_written_language(
    monkeypatch: pytest.MonkeyPatch, variety: str, written: str
) -> None:
    monkeypatch.setattr(language, "_classify", lambda sample: (variety, 0.53))
    assert detect("澳大利亚男足在预选赛中以三比零战胜对手，球迷们在悉尼庆祝这场胜利。") == written


@pytest.mark.parametrize("language_code", sorted(SAMPLES))
def test_a_text_in_capitals_is_told_as_written_in_lower_case(language_code: str) -> None:
    # A wire's headline or an old telex: read as written, English in capitals scored 0.2.
    assert detect(SAMPLES[language_code].upper()) == language_code


def test_a_text_the_model_cannot_be_given_as_utf8_is_still_told() -> None:
    assert detect(SAMPLES["fr"].replace("é", "\ud800", 1)) == "fr"


def test_nul_characters_do_not_stop_the_model() -> None:
    assert detect(SAMPLES["fr"].replace(" ", "\x00 ", 3)) == "fr"


def test_the_model_reads_one_line_in_lower_case_a_capital_dotted_i_as_i(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []

    class Model:
        def predict(self, line: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
            read.append(line)
            return ("__label__tr",), (0.99,)

    monkeypatch.setattr(language, "_model", lambda: Model())
    assert language._classify("İSTANBUL'DA\nİKİ GÖRÜŞME") == ("tr", 0.99)
    assert read == ["istanbul'da iki görüşme"]


def test_lines_do_not_stop_the_model() -> None:
    assert detect(SAMPLES["de"].replace(". ", ".\n\n").replace(", ", ",\r\n")) == "de"
