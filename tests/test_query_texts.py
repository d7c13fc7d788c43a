"""What people read about a stored query, in English and in French: the ``@fr`` and ``choice`` lines
of the ``#+`` header, every shipped query wholly translated, the words natograph writes about a
parameter's type, and each mistake in a header refused in one line with its file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from checkouts import _no_root_from_the_environment, checkout, run  # noqa: F401 (an autouse fixture)

from natograph.errors import QueryError
from natograph.queries.catalogue import catalogue, parse_header
from natograph.queries.texts import TRANSLATED

# Words a French text of natograph's own never holds ("date", "code", "initiative", "source",
# "programme", "relation", "organisation" are French too, so they are not here).
ENGLISH_WORDS = {"today", "default", "optional", "required", "year", "month", "day", "first", "last",
                 "label", "language", "choice", "one", "of", "the", "its", "and", "or", "a", "an",
                 "country", "tool", "operation", "period", "end", "start"}


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


def test_every_stored_query_has_every_text_in_french():
    """A new query without its French lines fails here (CONTRIBUTING says so)."""
    for name, query in catalogue().items():
        for lang in TRANSLATED:
            assert query.untranslated(lang) == [], f"queries/{name}.rq lacks its '@{lang}' lines for these"


def test_french_texts_are_not_the_english_ones():
    for name, query in catalogue().items():
        english, french = query.texts("en"), query.texts("fr")
        assert french.summary != english.summary, name
        assert len(french.headings) == len(query.columns), name
        assert french.headings != english.headings, name
        for en, fr in zip(english.params, french.params, strict=True):
            assert fr.doc != en.doc, (name, en.name)
            assert all(fr_label != en_label for (_, fr_label), (_, en_label) in zip(fr.choices, en.choices, strict=True))


def test_the_words_natograph_writes_about_a_parameter_are_french_in_french():
    for name, query in catalogue().items():
        for param in query.texts("fr").params:
            described = param.describe.removeprefix(f"{param.name} : ")  # the name is the one to type
            for text in (param.type_name, param.kind, param.status, described):
                english = words(text) & ENGLISH_WORDS
                assert not english, f"{name} {param.name}: {text!r} holds English: {sorted(english)}"


def test_the_generated_words_in_both_languages():
    partners = catalogue()["partners"]
    as_of, framework = partners.param("as_of"), partners.param("framework")
    assert as_of.describe() == "as_of: date-end, default today"  # what natograph list printed before French
    assert as_of.describe("fr") == "as_of : date (fin de période), par défaut : aujourd'hui"
    assert as_of.status("fr") == "par défaut : aujourd'hui" and "défaut today" not in as_of.describe("fr")
    assert as_of.kind("fr").startswith("une année ou un mois (son dernier jour), ou une date")
    assert framework.describe("fr") == "framework : choix (PfP|MD|ICI|PATG), facultatif"
    assert framework.kind() == "one of PfP, MD, ICI or PATG"
    assert framework.kind("fr") == "l'une des valeurs PfP, MD, ICI ou PATG"
    assert dict(partners.texts("fr").params[0].choices)["MD"] == "Dialogue méditerranéen"
    assert dict(partners.texts("en").params[0].choices)["ICI"] == "Istanbul Cooperation Initiative"
    assert catalogue()["country"].param("code").status("fr") == "obligatoire"
    assert partners.texts("fr").column_list() == "code, libellé (label), cadre (framework), adhésion (joined), statut (status)"
    assert partners.texts("en").column_list() == "code, label, framework, joined, status"
    with pytest.raises(QueryError, match="unknown language 'de'"):
        partners.texts("de")


HEADER = """#+ summary: Members as of a date
#+ param: as_of date-end default=today -- a year, a month or a date
#+ param: framework choice(PfP|MD) optional -- the framework
#+ columns: code, label
"""


def parsed(tmp_path: Path, extra: str, header: str = HEADER):
    path = tmp_path / "members.rq"
    path.write_text(header + extra + "SELECT ?code ?label WHERE { } ORDER BY ?code\n", encoding="utf-8")
    return parse_header("members", path, path.read_text(encoding="utf-8"))


def test_a_header_without_french_still_reads_in_english(tmp_path):
    query = parsed(tmp_path, "")
    texts = query.texts("fr")
    assert texts.summary == "Members as of a date" and texts.headings == ("code", "label")
    assert texts.params[0].doc == "a year, a month or a date"
    assert texts.params[0].status == "par défaut : aujourd'hui"  # natograph's own words are French
    assert query.untranslated("fr") == ["summary", "columns", "param as_of", "param framework"]


def test_french_lines_in_any_order(tmp_path):
    query = parsed(tmp_path, "#+ param@fr: framework -- le cadre\n#+ columns@fr: code, libellé\n"
                             "#+ choice: framework MD -- Mediterranean Dialogue\n"
                             "#+ choice: framework PfP -- Partnership for Peace\n"
                             "#+ choice@fr: framework MD -- Dialogue méditerranéen\n",
                   header="#+ summary@fr: Membres\n" + HEADER)
    texts = query.texts("fr")
    assert (texts.summary, texts.headings) == ("Membres", ("code", "libellé"))
    assert texts.params[1].doc == "le cadre" and texts.params[1].choices == (("PfP", "Partnership for Peace"),
                                                                           ("MD", "Dialogue méditerranéen"))
    assert query.untranslated("fr") == ["param as_of", "choice framework PfP"]


@pytest.mark.parametrize(("extra", "line", "message"), [
    ("#+ summary@de: Mitglieder\n", 5, "unknown language 'de' in '#+ summary@de:' (a line may be tagged @fr; "
                                       "English lines have no tag)"),
    ("#+ summary@en: Members\n", 5, "unknown language 'en' in '#+ summary@en:'"),
    ("#+ columns@fr: code, libellé, cadre\n", 5, "'#+ columns@fr:' names 3 columns, '#+ columns:' declares 2 (code, label)"),
    ("#+ columns@fr: code\n", 5, "'#+ columns@fr:' names 1 columns"),
    ("#+ param@fr: asof -- une année\n", 5, "'#+ param@fr:' names no declared parameter 'asof' (declared: as_of, framework)"),
    ("#+ param@fr: as_of une année\n", 5, "cannot read '#+ param@fr:' line 'as_of une année': expected 'NAME -- text'"),
    ("#+ param@fr: as_of --\n", 5, "cannot read '#+ param@fr:' line"),
    ("#+ summary@fr: Membres\n#+ summary@fr: Les membres\n", 6, "a second '#+ summary@fr:' line (the first is line 5)"),
    ("#+ param@fr: as_of -- une date\n#+ param@fr: as_of -- un jour\n", 6, "a second '#+ param@fr:' line for as_of"),
    ("#+ summary@fr:\n", 5, "'#+ summary@fr:' is empty"),
    ("#+ sumary@fr: Membres\n", 5, "'#+ sumary@fr:' translates nothing: only summary, param, columns, choice lines"),
    ("#+ choice: framework PfP -- Partnership for Peace\n", 5, "'#+ choice:' lines for 'framework' give no label to MD"),
    ("#+ choice: framework NATO -- Alliance\n", 5, "'#+ choice:' names no choice 'NATO' of 'framework' (its choices: PfP, MD)"),
    ("#+ choice: as_of 2020 -- that year\n", 5, "names no choice '2020' of 'as_of' (its choices: none: it is not a choice)"),
    ("#+ choice@fr: framework MD -- Dialogue méditerranéen\n", 5, "translates framework MD, which no '#+ choice:' line labels"),
    ("#+ param: as_of date-end optional -- again\n", 5, "parameter 'as_of' declared twice"),
    ("#+ summary: Again\n", 5, "a second '#+ summary:' line (the first is line 1)"),
])
def test_a_wrong_translation_line_is_refused_with_its_file_and_line(tmp_path, extra, line, message):
    with pytest.raises(QueryError) as raised:
        parsed(tmp_path, extra)
    text = str(raised.value)
    assert text.startswith(f"{tmp_path / 'members.rq'}:{line}: "), text
    assert message in text
    assert "\n" not in text


def test_a_french_doc_needs_an_english_one(tmp_path):
    header = HEADER.replace(" -- the framework", "")
    with pytest.raises(QueryError, match=r":5: '#\+ param@fr:' translates 'framework', whose '#\+ param:' line has no"):
        parsed(tmp_path, "#+ param@fr: framework -- le cadre\n", header=header)


def test_the_cli_refuses_a_wrong_translation_in_one_line(tmp_path, capsys):
    root = checkout(tmp_path / "clone")
    path = root / "queries" / "members.rq"
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("#+ columns@fr: code, libellé, adhésion") + 1
    path.write_text(text.replace("#+ columns@fr: code, libellé, adhésion", "#+ columns@fr: code, libellé"),
                    encoding="utf-8")
    for argv in (["list"], ["list", "--lang", "fr"], ["query", "members"]):
        code, out, err = run(capsys, "--root", str(root), *argv)
        assert code == 2 and out == ""
        assert err == (f"natograph: error: {path.resolve()}:{line}: '#+ columns@fr:' names 2 columns, "
                       "'#+ columns:' declares 3 (code, label, joined)\n"), err


def test_list_in_french(capsys):
    code, out, _ = run(capsys, "list", "--lang", "fr")
    assert code == 0
    english, _ = run(capsys, "list")[1:]
    for name, query in catalogue().items():
        french = query.texts("fr")
        assert f"\n{name}\n    {french.summary}\n    colonnes : {french.column_list()}\n" in f"\n{out}"
        assert query.summary not in out and query.summary in english
        assert french.summary not in english
    assert "    -p as_of : date (fin de période), par défaut : aujourd'hui -- une année (son dernier jour), " \
           "un mois ou une date\n" in out
    assert "    --lang en|fr -- langue des libellés (par défaut : en)\n" in out
    assert "today" not in out and "optional" not in out and "default" not in out


def test_list_in_english_is_as_it_was(capsys):
    """The French lines change nothing in English: each query as natograph list printed it before them."""
    expected = ""
    for name, query in sorted(catalogue().items()):
        expected += f"{name}\n    {query.summary}\n    columns: {', '.join(query.columns)}\n"
        for p in query.params:
            expected += ("    --lang en|fr -- label language (default en)\n" if p.type == "lang"
                         else f"    -p {p.describe()}" + (f" -- {p.doc}" if p.doc else "") + "\n")
    assert run(capsys, "list") == (0, expected, "")
    assert run(capsys, "list", "--lang", "en") == (0, expected, "")


def test_list_in_an_unknown_language_is_a_usage_error(capsys):
    code, out, err = run(capsys, "list", "--lang", "de")
    assert (code, out) == (2, "")
    assert err == "natograph: error: unknown language 'de'; expected one of en, fr\n"


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv"])
def test_query_results_keep_the_variables_as_headers_in_french(capsys, fmt):
    """--lang is the label language, a query parameter (-p lang=fr is the same): the rows' labels are
    French, the header stays the variables scripts read and SPARQL names (natograph list --lang fr
    shows each heading with its variable)."""
    code, out, _ = run(capsys, "query", "partners", "-p", "framework=MD", "--lang", "fr", "--format", fmt)
    assert code == 0 and "Algérie" in out
    assert re.split(r"[\s,]+", out.splitlines()[0].replace("?", "").strip()) == ["code", "label", "framework", "joined",
                                                                                  "status"]
