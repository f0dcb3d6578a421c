"""Compare the engine's language identification (fastText's lid.176) with py3langid (the engine's
until session 24, at its 0.90 confidence), lingua and langdetect: on article-length texts drawn from
hand-written sentences, or on texts of your own (``--texts``: JSON Lines of ``{"lang", "text"}``).
A detector whose package is not installed is left out, and said so. py3langid loads as its own
loader does (decompressing its model: 0.4 s, its 67 MB of arrays read), not as the engine did (kept
decompressed in the user's cache, mapped): its load time and memory here are larger than they were."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
SENTENCES = {
    "en": (
        "The President of Azerbaijan received the Vietnamese delegation in Baku on Tuesday.",
        "Both sides stressed the importance of expanding trade and investment between the two countries.",
        "The meeting took place within the framework of the minister's official visit to Hanoi.",
        "Officials discussed cooperation in energy, agriculture, education and tourism.",
        "The delegation also visited the State Oil Company and met with business leaders.",
        "Bilateral trade reached a record level last year, according to the customs service.",
        "The two governments signed a memorandum of understanding on cultural exchanges.",
        "He expressed gratitude for the warm hospitality shown to the delegation.",
        "The sides agreed to hold the next session of the intergovernmental commission in the autumn.",
        "Thousands of students have studied at universities in the other country since the 1960s.",
        "The ambassador said that political relations were at their highest level in decades.",
        "Further talks on visa simplification are expected before the end of the year.",
    ),
    "fr": (
        "Le président de l'Azerbaïdjan a reçu mardi la délégation vietnamienne à Bakou.",
        "Les deux parties ont souligné l'importance de développer le commerce et les investissements.",
        "La rencontre s'est déroulée dans le cadre de la visite officielle du ministre à Hanoï.",
        "Les responsables ont discuté de la coopération dans l'énergie, l'agriculture et l'éducation.",
        "La délégation a également visité la compagnie pétrolière nationale et rencontré des entrepreneurs.",
        "Les échanges commerciaux ont atteint un niveau record l'année dernière, selon les douanes.",
        "Les deux gouvernements ont signé un protocole d'accord sur les échanges culturels.",
        "Il a exprimé sa gratitude pour l'accueil chaleureux réservé à la délégation.",
        "Les deux côtés sont convenus de tenir la prochaine session de la commission mixte à l'automne.",
        "Des milliers d'étudiants ont suivi des formations dans les universités de l'autre pays.",
        "L'ambassadeur a déclaré que les relations politiques n'avaient jamais été aussi bonnes.",
        "De nouvelles discussions sur la simplification des visas sont prévues avant la fin de l'année.",
    ),
    "vi": (
        "Tổng thống Azerbaijan đã tiếp đoàn đại biểu Việt Nam tại Baku vào chiều thứ Ba.",
        "Hai bên nhấn mạnh tầm quan trọng của việc mở rộng thương mại và đầu tư giữa hai nước.",
        "Cuộc gặp diễn ra trong khuôn khổ chuyến thăm chính thức của Bộ trưởng tới Hà Nội.",
        "Các quan chức đã thảo luận về hợp tác trong lĩnh vực năng lượng, nông nghiệp và giáo dục.",
        "Đoàn cũng đã đến thăm Công ty Dầu khí Quốc gia và gặp gỡ các doanh nghiệp.",
        "Kim ngạch thương mại song phương đạt mức kỷ lục trong năm ngoái theo số liệu hải quan.",
        "Hai chính phủ đã ký bản ghi nhớ về trao đổi văn hóa và du lịch.",
        "Ông bày tỏ cảm ơn về sự đón tiếp nồng hậu dành cho đoàn.",
        "Hai bên nhất trí tổ chức kỳ họp tiếp theo của Ủy ban liên Chính phủ vào mùa thu.",
        "Hàng nghìn sinh viên đã học tập tại các trường đại học của nước bạn từ những năm 1960.",
        "Đại sứ cho biết quan hệ chính trị đang ở mức cao nhất trong nhiều thập kỷ qua.",
        "Các cuộc đàm phán về đơn giản hóa thị thực dự kiến sẽ diễn ra trước cuối năm nay.",
    ),
    "az": (
        "Azərbaycan Prezidenti çərşənbə axşamı Bakıda Vyetnam nümayəndə heyətini qəbul edib.",
        "Tərəflər iki ölkə arasında ticarət və investisiyaların genişləndirilməsinin vacibliyini vurğulayıblar.",
        "Görüş nazirin Hanoya rəsmi səfəri çərçivəsində baş tutub.",
        "Rəsmilər enerji, kənd təsərrüfatı, təhsil və turizm sahələrində əməkdaşlığı müzakirə ediblər.",
        "Nümayəndə heyəti həmçinin Dövlət Neft Şirkətində olub və iş adamları ilə görüşüb.",
        "Gömrük xidmətinin məlumatına görə, ötən il ikitərəfli ticarət rekord həddə çatıb.",
        "İki hökumət mədəni mübadilələr haqqında anlaşma memorandumu imzalayıb.",
        "O, nümayəndə heyətinə göstərilən səmimi qonaqpərvərliyə görə minnətdarlığını bildirib.",
        "Tərəflər hökumətlərarası komissiyanın növbəti iclasını payızda keçirmək barədə razılığa gəliblər.",
        "Minlərlə tələbə 1960-cı illərdən bəri digər ölkənin universitetlərində təhsil alıb.",
        "Səfir bildirib ki, siyasi münasibətlər son onilliklərin ən yüksək səviyyəsindədir.",
        "Vizaların sadələşdirilməsi ilə bağlı növbəti danışıqların il sonuna qədər aparılması gözlənilir.",
    ),
    "ru": (
        "Президент Азербайджана во вторник принял вьетнамскую делегацию в Баку.",
        "Стороны подчеркнули важность расширения торговли и инвестиций между двумя странами.",
        "Встреча прошла в рамках официального визита министра в Ханой.",
        "Официальные лица обсудили сотрудничество в области энергетики, сельского хозяйства и образования.",
        "Делегация также посетила государственную нефтяную компанию и встретилась с предпринимателями.",
        "По данным таможенной службы, двусторонний товарооборот в прошлом году достиг рекордного уровня.",
        "Правительства двух стран подписали меморандум о взаимопонимании в сфере культурного обмена.",
        "Он выразил благодарность за теплый прием, оказанный делегации.",
        "Стороны договорились провести следующее заседание межправительственной комиссии осенью.",
        "С шестидесятых годов тысячи студентов учились в университетах другой страны.",
        "Посол заявил, что политические отношения находятся на самом высоком уровне за десятилетия.",
        "Новые переговоры об упрощении визового режима ожидаются до конца года.",
    ),
    "de": (
        "Der Präsident Aserbaidschans empfing am Dienstag die vietnamesische Delegation in Baku.",
        "Beide Seiten betonten die Bedeutung eines Ausbaus von Handel und Investitionen zwischen den Ländern.",
        "Das Treffen fand im Rahmen des offiziellen Besuchs des Ministers in Hanoi statt.",
        "Die Vertreter sprachen über die Zusammenarbeit in Energie, Landwirtschaft und Bildung.",
        "Die Delegation besuchte außerdem die staatliche Ölgesellschaft und traf Unternehmer.",
        "Nach Angaben des Zolls erreichte der bilaterale Handel im vergangenen Jahr einen Rekordwert.",
        "Die beiden Regierungen unterzeichneten eine Absichtserklärung über den kulturellen Austausch.",
        "Er bedankte sich für die herzliche Gastfreundschaft gegenüber der Delegation.",
        "Die Seiten vereinbarten, die nächste Sitzung der Regierungskommission im Herbst abzuhalten.",
        "Seit den sechziger Jahren haben Tausende Studenten an Universitäten des anderen Landes studiert.",
        "Der Botschafter sagte, die politischen Beziehungen seien so gut wie seit Jahrzehnten nicht.",
        "Weitere Gespräche über Visaerleichterungen werden noch vor Jahresende erwartet.",
    ),
    "es": (
        "El presidente de Azerbaiyán recibió el martes a la delegación vietnamita en Bakú.",
        "Ambas partes subrayaron la importancia de ampliar el comercio y la inversión entre los dos países.",
        "La reunión se celebró en el marco de la visita oficial del ministro a Hanói.",
        "Los funcionarios hablaron de la cooperación en energía, agricultura, educación y turismo.",
        "La delegación también visitó la compañía petrolera estatal y se reunió con empresarios.",
        "Según las aduanas, el comercio bilateral alcanzó un nivel récord el año pasado.",
        "Los dos gobiernos firmaron un memorando de entendimiento sobre intercambios culturales.",
        "Expresó su agradecimiento por la cálida hospitalidad brindada a la delegación.",
        "Las partes acordaron celebrar la próxima sesión de la comisión intergubernamental en otoño.",
        "Miles de estudiantes se han formado en universidades del otro país desde los años sesenta.",
        "El embajador afirmó que las relaciones políticas están en su mejor momento en décadas.",
        "Se esperan nuevas conversaciones sobre la simplificación de visados antes de fin de año.",
    ),
}
DETECTORS = ("fastText lid.176 (engine)", "py3langid (before)", "lingua (all languages)", "langdetect")


def articles(per_language: int, seed: int) -> list[tuple[str, str]]:
    """(language, text) pairs: each text is 2-4 paragraphs of 3-5 sentences drawn from its language."""
    rng = random.Random(seed)
    texts = []
    for language, sentences in SENTENCES.items():
        for _ in range(per_language):
            paragraphs = [" ".join(rng.sample(sentences, rng.randint(3, 5))) for _ in range(rng.randint(2, 4))]
            texts.append((language, "\n\n".join(paragraphs)))
    return texts


def _rss_mb() -> float:
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * PAGE_BYTES / 2**20


def _load(name: str) -> Callable[[str], str]:
    if name == "fastText lid.176 (engine)":
        from index.analysis.language import detect

        return detect
    if name == "py3langid (before)":
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        from index.analysis import language

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        # The engine's detect as it was: its samples and letters, py3langid's answer, sure from 0.90.
        language._classify = identifier.classify  # type: ignore[assignment]
        language.MIN_CONFIDENCE = 0.90
        return language.detect
    if name == "lingua (all languages)":
        from lingua import LanguageDetectorBuilder

        detector = LanguageDetectorBuilder.from_all_languages().build()

        def lingua_detect(text: str) -> str:
            found = detector.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else "und"

        return lingua_detect
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0

    def langdetect_detect(text: str) -> str:
        try:
            return str(detect(text))
        except LangDetectException:
            return "und"

    return langdetect_detect


def measure(name: str, texts: list[tuple[str, str]]) -> dict[str, object] | None:
    """Run one detector in this (fresh) process: load time, memory, per-article time, accuracy;
    None when its package is not installed."""
    before = _rss_mb()
    started = time.perf_counter()
    try:
        detect = _load(name)
    except ImportError:
        if name == DETECTORS[0]:
            raise  # the engine's own: a broken install, not a peer left out
        return None
    detect(texts[0][1])  # The first call loads lazily loaded models.
    load_s = time.perf_counter() - started
    timings, correct, wrong = [], dict.fromkeys(sorted({language for language, _ in texts}), 0), []
    for language, text in texts:
        started = time.perf_counter()
        found = detect(text)
        timings.append((time.perf_counter() - started) * 1000)
        if found == language:
            correct[language] += 1
        else:
            wrong.append(f"{language}->{found}")
    return {
        "detector": name, "load_s": load_s, "rss_mb": _rss_mb() - before,
        "median_ms": statistics.median(timings), "mean_ms": statistics.fmean(timings),
        "accuracy": sum(correct.values()) / len(texts), "correct": correct,
        "errors": sorted(set(wrong)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-language", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--texts", type=Path, help="JSON Lines of {\"lang\": code, \"text\": ...} to use instead")
    args = parser.parse_args()
    if args.texts:
        # Split at line feeds only: a text may hold U+2028 and the like, which JSON leaves as they are.
        records = [json.loads(line) for line in args.texts.read_text("utf-8").split("\n") if line.strip()]
        texts = [(record["lang"], record["text"]) for record in records]
        if not texts:
            parser.error(f"no texts in {args.texts}")
    else:
        texts = articles(args.per_language, args.seed)
    words = statistics.fmean(len(text.split()) for _, text in texts)
    languages = len({language for language, _ in texts})
    print(f"{len(texts)} texts, {languages} languages, {words:.0f} words on average")
    results = []
    for name in DETECTORS:  # One fresh process each, so memory and load time are the detector's own.
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            result = pool.submit(measure, name, texts).result()
        if result is None:
            print(f"{name}: not installed, left out")
        else:
            results.append(result)
    print(f"{'detector':24} {'accuracy':>8} {'ms/article':>10} {'load s':>7} {'+RSS MB':>8}  per language / errors")
    for r in results:
        print(f"{r['detector']:24} {r['accuracy']:8.1%} {r['median_ms']:10.2f} {r['load_s']:7.2f} {r['rss_mb']:8.0f}  "
              f"{r['correct']} {r['errors']}")
    OUT.mkdir(exist_ok=True)
    (OUT / "langid.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
