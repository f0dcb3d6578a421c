"""Build bench/gold/news_en.json: held-out English news paragraphs with mention-level gold.

Run: python bench/gold/make_news_gold.py bench/gold/news_en.json

Mentions are listed as (surface text, type, canonical); every occurrence of a listed surface that
stands as a whole word is a mention (listed longest first, so a longer name wins over a part).
Adjectives of nationality, events and works are not annotated (what CoNLL calls MISC).
"""
# ruff: noqa: E501 - the paragraphs are data

from __future__ import annotations

import json
import re
import sys

DOCS = [
    (
        "football",
        """MANCHESTER, England, Oct 12 - Erling Haaland scored twice as Manchester City beat Brighton 3-1 at the Etihad Stadium on Saturday, lifting Pep Guardiola's side to the top of the Premier League. Haaland opened the scoring after nine minutes from a pass by Kevin De Bruyne, who was making his first start since injuring his hamstring in August. Brighton, coached by Fabian Hurzeler, drew level through Kaoru Mitoma before the break. Guardiola told the BBC that De Bruyne had been "outstanding". City travel to Lisbon on Tuesday to face Sporting in the Champions League.""",
        [
            ("Erling Haaland", "PERSON", "Erling Haaland"),
            ("Haaland", "PERSON", "Erling Haaland"),
            ("Manchester City", "ORG", "Manchester City"),
            ("City", "ORG", "Manchester City"),
            ("Brighton", "ORG", "Brighton"),
            ("Etihad Stadium", "PLACE", "Etihad Stadium"),
            ("Pep Guardiola", "PERSON", "Pep Guardiola"),
            ("Guardiola", "PERSON", "Pep Guardiola"),
            ("Kevin De Bruyne", "PERSON", "Kevin De Bruyne"),
            ("De Bruyne", "PERSON", "Kevin De Bruyne"),
            ("Fabian Hurzeler", "PERSON", "Fabian Hurzeler"),
            ("Kaoru Mitoma", "PERSON", "Kaoru Mitoma"),
            ("BBC", "ORG", "BBC"),
            ("Lisbon", "PLACE", "Lisbon"),
            ("Sporting", "ORG", "Sporting"),
            ("MANCHESTER", "PLACE", "Manchester"),
            ("England", "PLACE", "England"),
        ],
    ),
    (
        "earnings",
        """Siemens Energy raised its profit forecast for the year on Wednesday after strong demand for grid equipment in Germany and the United States offset losses at its wind turbine unit, Siemens Gamesa. Chief executive Christian Bruch said orders from utilities in Texas and California had doubled since January. Shares in the Munich-based company rose 6% in Frankfurt. Analysts at Deutsche Bank said the outlook was "better than feared", while the IG Metall union warned that 4,000 jobs at the turbine plants in Spain and Denmark remained at risk. The company will present its full results to investors in London on November 14.""",
        [
            ("Siemens Energy", "ORG", "Siemens Energy"),
            ("Germany", "PLACE", "Germany"),
            ("United States", "PLACE", "United States"),
            ("Siemens Gamesa", "ORG", "Siemens Gamesa"),
            ("Christian Bruch", "PERSON", "Christian Bruch"),
            ("Texas", "PLACE", "Texas"),
            ("California", "PLACE", "California"),
            ("Munich", "PLACE", "Munich"),
            ("Frankfurt", "PLACE", "Frankfurt"),
            ("Deutsche Bank", "ORG", "Deutsche Bank"),
            ("IG Metall", "ORG", "IG Metall"),
            ("Spain", "PLACE", "Spain"),
            ("Denmark", "PLACE", "Denmark"),
            ("London", "PLACE", "London"),
        ],
    ),
    (
        "election",
        """NAIROBI, March 3 - Kenya's electoral commission declared opposition leader Grace Wanjiru the winner of the governor's race in Mombasa on Monday, ending a week of tension in the coastal city. Wanjiru, a former lawyer with the Law Society of Kenya, defeated the incumbent, Hassan Omar, by about 12,000 votes. Observers from the African Union and the European Union said the count had been orderly. President William Ruto congratulated Wanjiru in a statement and urged her supporters to remain calm. Omar said he would challenge the result at the Supreme Court in Nairobi.""",
        [
            ("NAIROBI", "PLACE", "Nairobi"),
            ("Nairobi", "PLACE", "Nairobi"),
            ("Kenya", "PLACE", "Kenya"),
            ("Grace Wanjiru", "PERSON", "Grace Wanjiru"),
            ("Wanjiru", "PERSON", "Grace Wanjiru"),
            ("Mombasa", "PLACE", "Mombasa"),
            ("Law Society of Kenya", "ORG", "Law Society of Kenya"),
            ("Hassan Omar", "PERSON", "Hassan Omar"),
            ("Omar", "PERSON", "Hassan Omar"),
            ("African Union", "ORG", "African Union"),
            ("European Union", "ORG", "European Union"),
            ("William Ruto", "PERSON", "William Ruto"),
            ("Supreme Court", "ORG", "Supreme Court"),
        ],
    ),
    (
        "science",
        """Astronomers using the James Webb Space Telescope have found water vapour in the atmosphere of a planet orbiting a small star about 120 light years from Earth, NASA said on Thursday. The team, led by Laura Kreidberg of the Max Planck Institute for Astronomy in Heidelberg, observed the planet as it passed in front of its star four times last spring. "It is the clearest signal we have seen from a world this small," Kreidberg said. Researchers at the University of Chicago and the Space Telescope Science Institute in Baltimore took part in the study, which was published in the journal Nature.""",
        [
            ("Earth", "PLACE", "Earth"),
            ("NASA", "ORG", "NASA"),
            ("Laura Kreidberg", "PERSON", "Laura Kreidberg"),
            ("Kreidberg", "PERSON", "Laura Kreidberg"),
            ("Max Planck Institute for Astronomy", "ORG", "Max Planck Institute for Astronomy"),
            ("Heidelberg", "PLACE", "Heidelberg"),
            ("University of Chicago", "ORG", "University of Chicago"),
            ("Space Telescope Science Institute", "ORG", "Space Telescope Science Institute"),
            ("Baltimore", "PLACE", "Baltimore"),
        ],
    ),
    (
        "eu_politics",
        """BRUSSELS, June 18 - European Union leaders failed on Thursday to agree on a new budget for migration, with Hungary and Slovakia blocking a plan backed by France and Italy. Hungarian Prime Minister Viktor Orban said the proposal would force his country to accept asylum seekers it did not want. Ursula von der Leyen, the president of the European Commission, said talks would resume in July. Italian Prime Minister Giorgia Meloni, whose government has pushed for more money for North Africa, called the delay "a mistake". Diplomats said a compromise could be found before the summit in Copenhagen.""",
        [
            ("BRUSSELS", "PLACE", "Brussels"),
            ("European Union", "ORG", "European Union"),
            ("Hungary", "PLACE", "Hungary"),
            ("Slovakia", "PLACE", "Slovakia"),
            ("France", "PLACE", "France"),
            ("Italy", "PLACE", "Italy"),
            ("Viktor Orban", "PERSON", "Viktor Orban"),
            ("Ursula von der Leyen", "PERSON", "Ursula von der Leyen"),
            ("European Commission", "ORG", "European Commission"),
            ("Giorgia Meloni", "PERSON", "Giorgia Meloni"),
            ("North Africa", "PLACE", "North Africa"),
            ("Copenhagen", "PLACE", "Copenhagen"),
        ],
    ),
    (
        "trade",
        """SAO PAULO, Aug 7 - Brazil's exports of soybeans to China rose 18% in July, the trade ministry said on Friday, as buyers in Beijing turned away from American farmers amid the tariff dispute with Washington. Cargill and Bunge loaded record volumes at the port of Santos, according to the shipping agency Cargonave. Agriculture minister Carlos Favaro said Brazil would also seek new markets in Vietnam and Indonesia. The Brazilian Association of Vegetable Oil Industries raised its forecast for the season to 171 million tonnes. Farmers in Mato Grosso, the largest producing state, have started planting early.""",
        [
            ("SAO PAULO", "PLACE", "Sao Paulo"),
            ("Brazil", "PLACE", "Brazil"),
            ("China", "PLACE", "China"),
            ("Beijing", "PLACE", "Beijing"),
            ("Washington", "PLACE", "Washington"),
            ("Cargill", "ORG", "Cargill"),
            ("Bunge", "ORG", "Bunge"),
            ("Santos", "PLACE", "Santos"),
            ("Cargonave", "ORG", "Cargonave"),
            ("Carlos Favaro", "PERSON", "Carlos Favaro"),
            ("Vietnam", "PLACE", "Vietnam"),
            ("Indonesia", "PLACE", "Indonesia"),
            (
                "Brazilian Association of Vegetable Oil Industries",
                "ORG",
                "Brazilian Association of Vegetable Oil Industries",
            ),
            ("Mato Grosso", "PLACE", "Mato Grosso"),
        ],
    ),
    (
        "tech",
        """SAN FRANCISCO, Feb 20 - OpenAI is in talks to raise new funding at a valuation of more than $150 billion, people familiar with the matter said, as Microsoft and the Japanese group SoftBank consider increasing their stakes. Chief executive Sam Altman has told investors the money would pay for data centres in Texas and Norway. Google and Anthropic are also racing to build larger models, while regulators at the Federal Trade Commission are examining the partnerships between start-ups and big technology companies. Altman is due to speak at a conference in Paris next week, organised by the French government.""",
        [
            ("SAN FRANCISCO", "PLACE", "San Francisco"),
            ("OpenAI", "ORG", "OpenAI"),
            ("Microsoft", "ORG", "Microsoft"),
            ("SoftBank", "ORG", "SoftBank"),
            ("Sam Altman", "PERSON", "Sam Altman"),
            ("Altman", "PERSON", "Sam Altman"),
            ("Texas", "PLACE", "Texas"),
            ("Norway", "PLACE", "Norway"),
            ("Google", "ORG", "Google"),
            ("Anthropic", "ORG", "Anthropic"),
            ("Federal Trade Commission", "ORG", "Federal Trade Commission"),
            ("Paris", "PLACE", "Paris"),
        ],
    ),
    (
        "disaster",
        """MANILA, Nov 2 - Typhoon Kalmaegi killed at least 40 people in the central Philippines, the national disaster agency said on Sunday, as rescuers searched for residents swept away by floods in Cebu province. The Philippine Red Cross sent boats and food to towns along the coast, and the Japanese government pledged $2 million in emergency aid. President Ferdinand Marcos Jr. flew to Cebu City to inspect the damage and said the army would help clear roads. Forecasters at PAGASA said the storm was moving west toward Vietnam, where authorities in Da Nang ordered fishing boats back to port.""",
        [
            ("MANILA", "PLACE", "Manila"),
            ("Philippines", "PLACE", "Philippines"),
            ("Cebu", "PLACE", "Cebu"),
            ("Philippine Red Cross", "ORG", "Philippine Red Cross"),
            ("Ferdinand Marcos Jr.", "PERSON", "Ferdinand Marcos Jr."),
            ("Cebu City", "PLACE", "Cebu City"),
            ("PAGASA", "ORG", "PAGASA"),
            ("Vietnam", "PLACE", "Vietnam"),
            ("Da Nang", "PLACE", "Da Nang"),
        ],
    ),
]


def main(target: str) -> None:
    """Write the gold file."""
    fixtures: list[dict[str, object]] = []
    for doc_id, text, spec in DOCS:
        taken: list[tuple[int, int]] = []
        mentions: list[dict[str, object]] = []
        for surface, type_, canonical in sorted(spec, key=lambda s: -len(s[0])):
            for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                mentions.append(
                    {"start": m.start(), "end": m.end(), "type": type_, "canonical": canonical, "text": surface}
                )
            if not any(t["text"] == surface for t in mentions):
                sys.exit(f"{doc_id}: {surface!r} not found")
        mentions.sort(key=lambda m: m["start"])
        fixtures.append({"id": doc_id, "language": "en", "text": text, "mentions": mentions})
    gold = {
        "_doc": "Held-out English news paragraphs written for this benchmark after the extractor, on topics and names the alias data does not cover; every PERSON, ORG and PLACE mention with [start, end) offsets, type and canonical name. Generated by bench/gold/make_news_gold.py.",
        "fixtures": fixtures,
    }
    with open(target, "w", encoding="utf-8") as file:
        json.dump(gold, file, ensure_ascii=False, indent=1)
    print(sum(len(f["mentions"]) for f in fixtures), "mentions in", len(fixtures), "documents")


if __name__ == "__main__":
    main(sys.argv[1])
