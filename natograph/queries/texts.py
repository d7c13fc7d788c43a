"""What people read about a stored query, in English and in French: the ``@fr`` lines and the
``choice`` lines of its ``#+`` header (``HeaderWords`` reads and checks them), and the words natograph
writes itself about a parameter's type (``type_name``, ``kind``, ``status``, ``describe``).

English is the header's untagged lines; a French line carries the tag ``@fr`` on its key. A text a
header does not translate is read in English (a query of one's own root needs no French to run);
``untranslated`` lists what is missing, and the tests require every shipped query to have it all.
"""

from __future__ import annotations

from collections import namedtuple

from ..errors import QueryError

ENGLISH = "en"


TRANSLATED = ("fr",)  # the languages a header line may be tagged with; English lines have no tag


TRANSLATABLE = ("summary", "param", "columns", "choice")


# A named tuple, not a dataclass: dataclasses imports inspect, 10 ms a cold query does not need.
class Words(namedtuple("Words", "summary columns docs choices")):
    """A query's texts in one language, as its header writes them: ``summary`` and ``columns`` (None
    when not given), ``docs`` (parameter name -> text) and ``choices`` (parameter name -> {value: label})."""

    __slots__ = ()


class ParamTexts(namedtuple("ParamTexts", "name type doc type_name kind status describe choices")):
    """One parameter in one language: its ``name`` and ``type`` (as declared), its ``doc`` from the
    header, then the words natograph writes:
    ``type_name`` ("choix"), ``kind`` (what a value looks like), ``status`` ("facultatif", "par défaut :
    aujourd'hui"), ``describe`` (the one line ``natograph list`` prints) and ``choices``, a tuple of
    (value, label) pairs (label "" when the header gives none)."""

    __slots__ = ()


class QueryTexts(namedtuple("QueryTexts", "lang name summary columns headings params")):
    """A stored query in one language: ``summary``, ``columns`` (the SPARQL variables, as results name
    them), ``headings`` (what people read for each column, in the same order) and ``params``
    (``ParamTexts``)."""

    __slots__ = ()

    def column_list(self) -> str:
        """The columns for people: ``code, label`` in English; ``code, libellé (label)`` in French,
        the variable after each heading that differs from it."""
        return ", ".join(h if h == c else f"{h} ({c})" for c, h in zip(self.columns, self.headings, strict=True))


# ---------------------------------------------------------------------------
# The words natograph writes about a parameter's type
# ---------------------------------------------------------------------------


_GENERATED = {
    "en": {
        "types": {},  # English shows the header's own type words: date-end, choice(A|B)
        "kinds": {
            "choice": "one of {choices}",
            "date-end": "a year or a month (its last day), or a date: 2020, 2020-06, 2020-06-30",
            "date-start": "a year or a month (its first day), or a date: 2020, 2020-06, 2020-06-30",
            "lang": "a label language: en or fr",
            "code": "a country's ISO 3166-1 alpha-2 code (FR) or an organisation's code (UN)",
            "initiative": "the code of an initiative, a partnership tool or an operation (EOP, ANP, ISAF)",
        },
        "or": "or", "required": "required", "optional": "optional", "default": "default {value}", "today": "today",
        "colon": ":",
    },
    "fr": {
        "types": {"choice": "choix", "date-end": "date (fin de période)", "date-start": "date (début de période)",
                  "lang": "langue", "code": "code (pays ou organisation)",
                  "initiative": "code (initiative, outil ou opération)"},
        "kinds": {
            "choice": "l'une des valeurs {choices}",
            "date-end": "une année ou un mois (son dernier jour), ou une date : 2020, 2020-06, 2020-06-30",
            "date-start": "une année ou un mois (son premier jour), ou une date : 2020, 2020-06, 2020-06-30",
            "lang": "une langue des libellés : en ou fr",
            "code": "le code ISO 3166-1 alpha-2 d'un pays (FR) ou le code d'une organisation (UN)",
            "initiative": "le code d'une initiative, d'un outil de partenariat ou d'une opération (EOP, ANP, ISAF)",
        },
        "or": "ou", "required": "obligatoire", "optional": "facultatif", "default": "par défaut : {value}",
        "today": "aujourd'hui", "colon": " :",
    },
}


def _words(lang: str) -> dict:
    if lang not in _GENERATED:
        raise QueryError(f"unknown language {lang!r}; expected one of {', '.join(_GENERATED)}")
    return _GENERATED[lang]


def type_name(param, lang: str = ENGLISH) -> str:
    """The parameter's type as ``natograph list`` names it: ``choice(PfP|MD)``, ``choix (PfP|MD)``."""
    words = _words(lang)
    name = words["types"].get(param.type, param.type)
    if not param.choices:
        return name
    return f"{name}{'' if lang == ENGLISH else ' '}({'|'.join(param.choices)})"


def kind(param, lang: str = ENGLISH) -> str:
    """What a value of the parameter looks like, in a sentence: a form's hint, the API's description."""
    words = _words(lang)
    choices = list(param.choices)
    listed = ", ".join(choices[:-1]) + f" {words['or']} {choices[-1]}" if len(choices) > 1 else "".join(choices)
    return words["kinds"].get(param.type, param.type).format(choices=listed)


def status(param, lang: str = ENGLISH) -> str:
    """``required``, ``optional`` or ``default VALUE`` (``default today``), in *lang*."""
    words = _words(lang)
    if param.required:
        return words["required"]
    if param.default is not None:
        value = param.default
        if value == "today" and lang != ENGLISH:
            value = words["today"]
        return words["default"].format(value=value)
    return words["optional"]


def describe(param, lang: str = ENGLISH) -> str:
    """``as_of: date-end, default today``; in French ``as_of : date (fin de période), par défaut : aujourd'hui``."""
    return f"{param.name}{_words(lang)['colon']} {type_name(param, lang)}, {status(param, lang)}"


# ---------------------------------------------------------------------------
# Reading the header's @fr and choice lines
# ---------------------------------------------------------------------------


class HeaderWords:
    """The ``summary@fr``, ``param@fr``, ``columns@fr``, ``choice`` and ``choice@fr`` lines of one header,
    collected as they come, then checked against its parameters and columns by ``finish``."""

    def __init__(self, path) -> None:
        self.path = path
        self.seen: dict[tuple, int] = {}  # (lang, key, ...) -> the line that gave it
        self.summary: dict[str, str] = {}
        self.columns: dict[str, tuple[tuple[str, ...], int]] = {}
        self.docs: dict[str, dict[str, tuple[str, int]]] = {}
        self.choices: dict[str, dict[tuple[str, str], tuple[str, int]]] = {}

    def error(self, number: int, message: str) -> QueryError:
        return QueryError(f"{self.path}:{number}: {message}")

    def read(self, number: int, key: str, tag: str | None, value: str) -> None:
        """One line ``#+ KEY@TAG: VALUE`` (*tag* None for an untagged line: English)."""
        where = f"'#+ {key}{'' if tag is None else '@' + tag}:'"
        lang = ENGLISH if tag is None else tag
        if tag is not None and tag not in TRANSLATED:
            raise self.error(number, f"unknown language {lang!r} in {where} (a line may be tagged "
                                     f"{', '.join('@' + t for t in TRANSLATED)}; English lines have no tag)")
        if key not in TRANSLATABLE:
            raise self.error(number, f"{where} translates nothing: only {', '.join(TRANSLATABLE)} lines have a French twin")
        if not value:
            raise self.error(number, f"{where} is empty")
        if key == "summary":
            self._once(number, (lang, key), where)
            self.summary[lang] = value
        elif key == "columns":
            self._once(number, (lang, key), where)
            self.columns[lang] = (tuple(c.strip() for c in value.split(",") if c.strip()), number)
        else:
            head, sep, text = value.partition("--")
            parts = head.split()
            wanted = 1 if key == "param" else 2
            if not sep or not text.strip() or len(parts) != wanted:
                form = "NAME -- text" if key == "param" else "NAME VALUE -- label"
                raise self.error(number, f"cannot read {where} line {value!r}: expected '{form}'")
            self._once(number, (lang, key, *parts), where, f" for {' '.join(parts)}")
            if key == "param":
                self.docs.setdefault(lang, {})[parts[0]] = (text.strip(), number)
            else:
                self.choices.setdefault(lang, {})[(parts[0], parts[1])] = (text.strip(), number)

    def _once(self, number: int, key: tuple, where: str, what: str = "") -> None:
        if key in self.seen:
            raise self.error(number, f"a second {where} line{what} (the first is line {self.seen[key]})")
        self.seen[key] = number

    def finish(self, summary: str, columns: tuple[str, ...], params) -> dict[str, Words]:
        """Every language's ``Words``, English first, once each translated line is checked against
        the parameters and columns the header declares."""
        declared = {p.name: p for p in params}
        names = ", ".join(declared) or "none"
        english_choices: dict[str, dict[str, str]] = {}
        for (name, value), (label, number) in self.choices.get(ENGLISH, {}).items():
            self._check_choice(number, "'#+ choice:'", declared, names, name, value)
            english_choices.setdefault(name, {})[value] = label
        for name, labels in english_choices.items():
            missing = [c for c in declared[name].choices if c not in labels]
            if missing:
                first = min(n for (p, _), (_, n) in self.choices[ENGLISH].items() if p == name)
                raise self.error(first, f"'#+ choice:' lines for {name!r} give no label to {', '.join(missing)}")
        result = {ENGLISH: Words(summary, columns, {p.name: p.doc for p in params if p.doc}, english_choices)}
        for lang in TRANSLATED:
            result[lang] = self._translation(lang, columns, declared, names, english_choices)
        return result

    def _translation(self, lang, columns, declared, names, english_choices) -> Words:
        headings = None
        if lang in self.columns:
            headings, number = self.columns[lang]
            if len(headings) != len(columns):
                raise self.error(number, f"'#+ columns@{lang}:' names {len(headings)} columns, "
                                         f"'#+ columns:' declares {len(columns)} ({', '.join(columns)})")
        docs = {}
        for name, (text, number) in self.docs.get(lang, {}).items():
            if name not in declared:
                raise self.error(number, f"'#+ param@{lang}:' names no declared parameter {name!r} (declared: {names})")
            if not declared[name].doc:
                raise self.error(number, f"'#+ param@{lang}:' translates {name!r}, whose '#+ param:' line has "
                                         "no '-- text' to translate")
            docs[name] = text
        choices: dict[str, dict[str, str]] = {}
        for (name, value), (label, number) in self.choices.get(lang, {}).items():
            self._check_choice(number, f"'#+ choice@{lang}:'", declared, names, name, value)
            if value not in english_choices.get(name, {}):
                raise self.error(number, f"'#+ choice@{lang}:' translates {name} {value}, which no '#+ choice:' line labels")
            choices.setdefault(name, {})[value] = label
        return Words(self.summary.get(lang), headings, docs, choices)

    def _check_choice(self, number, where, declared, names, name, value) -> None:
        if name not in declared:
            raise self.error(number, f"{where} names no declared parameter {name!r} (declared: {names})")
        if value not in declared[name].choices:
            accepted = ", ".join(declared[name].choices) or "none: it is not a choice"
            raise self.error(number, f"{where} names no choice {value!r} of {name!r} (its choices: {accepted})")


def texts(query, lang: str = ENGLISH) -> QueryTexts:
    """*query* (a ``StoredQuery``) in *lang*, each text its header does not translate read in English."""
    _words(lang)
    english = query.words.get(ENGLISH) or Words(query.summary, query.columns, {p.name: p.doc for p in query.params}, {})
    own = query.words.get(lang, english)
    params = []
    for p in query.params:
        labels = own.choices.get(p.name, {})
        fallback = english.choices.get(p.name, {})
        params.append(ParamTexts(
            name=p.name, type=p.type, doc=own.docs.get(p.name, p.doc), type_name=type_name(p, lang), kind=kind(p, lang),
            status=status(p, lang), describe=describe(p, lang),
            choices=tuple((c, labels.get(c, fallback.get(c, ""))) for c in p.choices),
        ))
    return QueryTexts(lang=lang, name=query.name, summary=own.summary or query.summary, columns=query.columns,
                      headings=own.columns or query.columns, params=tuple(params))


def untranslated(query, lang: str) -> list[str]:
    """What *query*'s header gives in English and not in *lang*: ``summary``, ``columns``, ``param NAME``,
    ``choice NAME VALUE``; empty when it is wholly translated."""
    _words(lang)
    if lang == ENGLISH:
        return []
    english, own = query.words.get(ENGLISH), query.words.get(lang)
    if english is None or own is None:  # a StoredQuery made by hand, not read from a header
        return ["summary", "columns"]
    missing = [] if own.summary else ["summary"]
    missing += [] if own.columns else ["columns"]
    missing += [f"param {name}" for name in english.docs if name not in own.docs]
    missing += [f"choice {name} {value}" for name, labels in english.choices.items()
                for value in labels if value not in own.choices.get(name, {})]
    return missing
