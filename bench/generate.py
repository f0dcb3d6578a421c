"""Generate a deterministic synthetic news corpus in the style of the bundled seed articles."""

from __future__ import annotations

import argparse
import itertools
import random
import time
from dataclasses import dataclass
from pathlib import Path

FILES_PER_SHARD = 1000
VOCABULARY_SIZE = 3000
ZIPF_EXPONENT = 1.05
FIRST_YEAR, LAST_YEAR = 1995, 2025
UNDATED_SHARE = 0.05
LANGUAGE_WEIGHTS = {"en": 0.50, "fr": 0.30, "de": 0.05, "es": 0.05, "ru": 0.05, "vi": 0.05}

# Real high-frequency words first (they take the top Zipf ranks), so language identification works.
COMMON_WORDS = {
    "en": "the of and to in a that for is on was with as by it at from be have are has were said this an "
    "will which its two their not but also been after more would other new first they had he she who "
    "between relations cooperation countries meeting minister president government visit development "
    "economic trade international national side sides both support state year years people agreement "
    "discussed noted stressed important partnership bilateral issues energy security foreign ministry "
    "parliament investment projects culture education further during within framework region regional "
    "talks delegation official leaders strategic friendship potential relations exchange expressed",
    "fr": "de la le et les des à en du un une pour que dans sur par est au a avec qui ce il ont été "
    "sont aux plus ses leur entre deux pays coopération relations visite président ministre gouvernement "
    "développement économique commerce international national les côtés accord partenariat bilatérale "
    "questions énergie sécurité affaires étrangères parlement investissement projets culture éducation "
    "cadre région régionale entretiens délégation officielle dirigeants stratégique amitié potentiel "
    "échanges souligné exprimé discuté noté importance également lors cette année années peuple",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an "
    "wurde werden aus er hat dass sie nach bei einer um am sind noch wie einem über so zum war haben "
    "Zusammenarbeit Beziehungen Länder Treffen Minister Präsident Regierung Besuch Entwicklung Handel "
    "wirtschaftliche internationale Sicherheit Energie Partnerschaft Abkommen beiden Seiten betont",
    "es": "de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o "
    "fue este ha entre cooperación relaciones países reunión ministro presidente gobierno visita "
    "desarrollo económico comercio internacional nacional seguridad energía asociación acuerdo ambos "
    "partes destacó expresó bilateral región inversión proyectos cultura educación durante también",
    "ru": "и в не на что с по как а к из у за от о то же для это все он она так его но был были также "
    "между отношения сотрудничество страны встреча министр президент правительство визит развитие "
    "экономический торговля международный национальный безопасность энергетика партнерство соглашение "
    "стороны обсудили отметили подчеркнул двусторонних регион инвестиции проекты культура образование",
    "vi": "và của các là có được trong cho với những một này đã không người để hai về từ khi đến tại "
    "nước quan hệ hợp tác phát triển kinh tế thương mại quốc tế an ninh năng lượng đối tác chiến lược "
    "thăm chính thức hội đàm bộ trưởng chủ tịch thủ tướng chính phủ ngoại giao nhân dân hữu nghị "
    "truyền thống đầu tư dự án văn hóa giáo dục khu vực cũng như nhằm tăng cường thúc đẩy",
}
SYLLABLES = {
    "en": "ar ber con ment tion ing er ly al ous ive pro ter ex com de re in pre sta port form ness",
    "fr": "ment tion eur ité ère ain eau oir ique con pro dé re in pré ter sé gé bre lle tte ance",
    "de": "ung keit schaft lich ver ge be ent er ten bar sch tz stra ber hei wer stel",
    "es": "ción dad mente ar er ir con pro re des ta do ía ería ble cia ra nte",
    "ru": "ов ени ост тел ств ный ная про пре при раз за вы ка на ло ми ре ти",
}
VI_ONSETS = "b c ch d đ g gi h k kh l m n ng nh p ph qu r s t th tr v x"
VI_NUCLEI = "a ă â e ê i o ô ơ u ư y á à ả ã ạ ấ ầ ậ ế ề ệ ố ồ ộ ớ ờ ợ ứ ừ ự ươ uô iê"
VI_CODAS = ("", "n", "ng", "c", "t", "m", "nh", "ch")
_SYLLABLES = {code: syllables.split() for code, syllables in SYLLABLES.items()}
_VI_ONSETS, _VI_NUCLEI = VI_ONSETS.split(), VI_NUCLEI.split()

PEOPLE = ("Ilham Aliyev", "Heydar Aliyev", "To Lam", "Ho Chi Minh", "Bui Thanh Son", "Elnur Mammadov",
          "Ali Asadov", "Jeyhun Bayramov", "Pham Minh Chinh", "Nguyen Phu Trong", "Luong Cuong", "Ha Kim Ngoc",
          "Kamran Aliyev", "Nguyen Tien", "Ramiz Hasanov", "Mehriban Aliyeva", "Vo Van Thuong", "Nguyen Xuan Phuc")
PLACES = ("Baku", "Hanoi", "Ho Chi Minh City", "Ganja", "Da Nang", "Sumgait", "Hai Phong", "Shusha", "Hue",
          "Nakhchivan", "Can Tho", "Lankaran", "Moscow", "Paris", "Berlin", "Madrid", "Geneva", "New York")
ORGANISATIONS = ("United Nations", "ASEAN", "SOCAR", "PetroVietnam", "Non-Aligned Movement", "World Bank",
                 "Organization of Islamic Cooperation", "Intergovernmental Commission", "Cabinet of Ministers",
                 "Azerbaijan State Oil and Industry University", "Communist Party of Vietnam", "Milli Majlis")
COUNTRY = {"en": ("Azerbaijan", "Vietnam"), "fr": ("Azerbaïdjan", "Vietnam"), "de": ("Aserbaidschan", "Vietnam"),
           "es": ("Azerbaiyán", "Vietnam"), "ru": ("Азербайджан", "Вьетнам"), "vi": ("Azerbaijan", "Việt Nam")}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DEBRIS = ("+ ↺ − 16 px", "back to top", "Back to top", "Print", "Share on Facebook",
          "Contact: info@newsroom.az | Tel: +994 12 000 00 00", ">>Vietnam - Azerbaïdjan: consultation politique",
          "Follow us on Telegram", "Source: VNA")


@dataclass(frozen=True)
class Language:
    """One language's vocabulary and its cumulative Zipf weights."""

    code: str
    words: tuple[str, ...]
    cumulative: tuple[float, ...]


def _synthetic_word(rng: random.Random, code: str) -> str:
    if code == "vi":  # Vietnamese words are single syllables.
        return rng.choice(_VI_ONSETS) + rng.choice(_VI_NUCLEI) + rng.choice(VI_CODAS)
    return "".join(rng.choice(_SYLLABLES[code]) for _ in range(rng.randint(2, 3)))


def build_language(rng: random.Random, code: str) -> Language:
    """A vocabulary of VOCABULARY_SIZE words: real common words, then synthetic ones, Zipf-weighted."""
    words = list(dict.fromkeys(COMMON_WORDS[code].split()))
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:
        word = _synthetic_word(rng, code)
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = [1.0 / rank**ZIPF_EXPONENT for rank in range(1, len(words) + 1)]
    return Language(code, tuple(words), tuple(itertools.accumulate(weights)))


def _sentence(rng: random.Random, language: Language) -> str:
    words = rng.choices(language.words, cum_weights=language.cumulative, k=rng.randint(8, 24))
    roll = rng.random()
    if roll < 0.25:
        words.insert(rng.randrange(len(words)), rng.choice(PEOPLE))
    elif roll < 0.40:
        words.insert(rng.randrange(len(words)), rng.choice(PLACES))
    elif roll < 0.50:
        words.insert(rng.randrange(len(words)), rng.choice(ORGANISATIONS))
    elif roll < 0.75:
        words.insert(rng.randrange(len(words)), rng.choice(COUNTRY[language.code]))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraphs(rng: random.Random, language: Language, target_words: int) -> list[str]:
    paragraphs: list[str] = []
    count = 0
    while count < target_words:
        sentences = [_sentence(rng, language) for _ in range(rng.randint(2, 5))]
        count += sum(s.count(" ") + 1 for s in sentences)
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _outlet_opening(rng: random.Random, code: str, day: str) -> tuple[str, str | None]:
    """A lead-in that carries an outlet's signature, and a closing line (or None)."""
    home, partner = COUNTRY[code]
    choice = rng.random()
    if code == "en":
        month_day = f"{MONTHS[int(day[5:7]) - 1]} {int(day[8:10])}"
        if choice < 0.25:
            return "By Azernews\n\n", None
        if choice < 0.45:
            return f"BAKU, Azerbaijan, {month_day}. {home} and {partner} held talks, Trend reports. ", None
        if choice < 0.60:
            return f"{home} and {partner} met, News.Az reports citing Azertac. ", "\nNews.Az"
        if choice < 0.70:
            return f"HANOI, {month_day} (Xinhua) -- ", None
        if choice < 0.80:
            return "", "\nVNS"
    elif code == "fr":
        if choice < 0.45:
            return "", "\nVNA/CVN"
        if choice < 0.60:
            return "", "\nCVN"
        if choice < 0.75:
            return "Hanoï (AFP) - ", None
    elif code in ("de", "es"):
        if choice < 0.5:
            return "Baku (AFP) - ", None
    elif code == "vi" and choice < 0.6:
        return "", "\nVNA"
    elif code == "ru" and choice < 0.5:
        return "BAKU (Xinhua) -- ", None
    return "", None


def article(rng: random.Random, languages: dict[str, Language]) -> str:
    """One article's file content: optional date header, outlet signature, paragraphs, debris."""
    code = rng.choices(tuple(LANGUAGE_WEIGHTS), weights=tuple(LANGUAGE_WEIGHTS.values()))[0]
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    day = f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    opening, closing = _outlet_opening(rng, code, day)
    paragraphs = _paragraphs(rng, languages[code], rng.randint(250, 700))
    if rng.random() < 0.3:
        for _ in range(rng.randint(1, 2)):
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), rng.choice(DEBRIS))
    header = f" date {day} " if rng.random() >= UNDATED_SHARE else ""
    text = header + opening + "\n\n".join(paragraphs)
    return text + ("\n" + closing if closing else "") + "\n"


def generate(out_dir: Path, count: int, seed: int = 1) -> None:
    """Write ``count`` articles as ``out_dir/NNNN/NNNNNNN.txt``, FILES_PER_SHARD per subfolder."""
    rng = random.Random(seed)
    languages = {code: build_language(rng, code) for code in LANGUAGE_WEIGHTS}
    for number in range(count):
        shard = out_dir / f"{number // FILES_PER_SHARD:04d}"
        if number % FILES_PER_SHARD == 0:
            shard.mkdir(parents=True, exist_ok=True)
        (shard / f"{number:07d}.txt").write_text(article(rng, languages), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    generate(args.out_dir, args.count, args.seed)
    print(f"{args.count} articles in {args.out_dir} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
