"""Every word a visitor reads on natograph's pages, in English and in French, in one place: the
layout (header, navigation, search box, footer), the map, a resource's story and its linked data,
search, the query console and results, the error pages. Templates read them as ``t.KEY``
(``messages(lang)``); the pages' scripts get the ones they write from a JSON data block.

What the stored queries say about themselves (summaries, parameter hints, column headings, choice
labels) is not here: it comes from their ``#+`` headers, ``StoredQuery.texts(lang)``. The data's own
words (labels) come from the graph. A test holds the two languages to the same keys and placeholders.

Placeholders are ``{name}``; a French colon has its space (``colon``).
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "fr")

_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
}

MESSAGES: dict[str, dict] = {"en": {}, "fr": {}}


def _add(en: dict, fr: dict) -> None:
    MESSAGES["en"].update(en)
    MESSAGES["fr"].update(fr)


# --- the layout: header, navigation, search box, footer ---------------------------------------
_add({
    "skip_main": "Skip to the content", "nav_label": "Main", "nav_map": "Map", "nav_queries": "Queries",
    "nav_sparql": "SPARQL", "nav_ontology": "Ontology", "nav_api": "API", "nav_data": "Downloads",
    "search_label": "Search countries, organisations, frameworks, operations, events",
    "search_placeholder": "Algeria, PfP, Vilnius…", "search_button": "Search",
    "other": "Français", "other_title": "Cette page en français",
    "footer_as_of": "Data as of {date}.", "footer_sources": "Every fact cites a public source.",
    "footer_licence": "Data and ontology under the licence", "footer_void": "Dataset description (VoID)",
    "footer_version": "natograph {version}", "colon": ":",
    "months": _MONTHS["en"],
}, {
    "skip_main": "Aller au contenu", "nav_label": "Principale", "nav_map": "Carte", "nav_queries": "Requêtes",
    "nav_sparql": "SPARQL", "nav_ontology": "Ontologie", "nav_api": "API", "nav_data": "Téléchargements",
    "search_label": "Rechercher un pays, une organisation, un cadre, une opération, un événement",
    "search_placeholder": "Algérie, PPP, Vilnius…", "search_button": "Rechercher",
    "other": "English", "other_title": "This page in English",
    "footer_as_of": "Données à jour au {date}.", "footer_sources": "Chaque fait cite une source publique.",
    "footer_licence": "Données et ontologie sous la licence", "footer_void": "Description du jeu de données (VoID)",
    "footer_version": "natograph {version}", "colon": " :",
    "months": _MONTHS["fr"],
})

# --- the home page: the map through time (natograph.pages.explorer) ----------------------------
_add({
    "title": "natograph — NATO's partnerships as a knowledge graph",
    "map_heading": "NATO's members and partners through time",
    "intro": "Each country is coloured by its relation with NATO on the chosen day. Move the slider "
             "back to 1949; select a country to read its story.",
    "year": "Year", "previous": "Previous year", "next": "Next year",
    "as_of": "as of {date}", "today": "today, {date}",
    "map_label": "World map: each country's relation with NATO",
    "legend": "Legend", "none": "No relation",
    "precedence": "A country in several relations takes the colour of the first in this order.",
    "member": "NATO member", "suspended": "Partnership suspended",
    "suspended_in": "{framework}, suspended",
    "since": "since {date}", "undated": "start not dated",
    "hint": "Hover over or focus a country to read its relation; select it to open its page.",
    "no_relation": "{name}: no relation with NATO on this day",
    "not_in_data": "{name}: not in natograph's data",
    "skip": "Skip the map: the countries as lists",
    "lists": "The countries by relation, {date}",
    "empty": "none",
    "source": "From the stored queries members and partners, as of the year's last day (today for the "
              "current year): the answers of", "source_year": "YEAR",
    "source_map": "Map: Natural Earth (public domain), Equal Earth projection.",
    "data": "The map's data (JSON)",
    "console_link": "Queries and SPARQL", "downloads": "Downloads", "ontology": "Ontology",
}, {
    "title": "natograph — les partenariats de l'OTAN en graphe de connaissances",
    "map_heading": "Les membres et partenaires de l'OTAN au fil du temps",
    "intro": "Chaque pays est coloré selon sa relation avec l'OTAN au jour choisi. Déplacez le curseur "
             "jusqu'en 1949 ; sélectionnez un pays pour lire son histoire.",
    "year": "Année", "previous": "Année précédente", "next": "Année suivante",
    "as_of": "au {date}", "today": "aujourd'hui, {date}",
    "map_label": "Carte du monde : la relation de chaque pays avec l'OTAN",
    "legend": "Légende", "none": "Aucune relation",
    "precedence": "Un pays engagé dans plusieurs relations prend la couleur de la première dans cet ordre.",
    "member": "Membre de l'OTAN", "suspended": "Partenariat suspendu",
    "suspended_in": "{framework}, suspendu",
    "since": "depuis {date}", "undated": "début non daté",
    "hint": "Survolez un pays, ou placez-y le focus, pour lire sa relation ; sélectionnez-le pour ouvrir sa page.",
    "no_relation": "{name} : aucune relation avec l'OTAN ce jour-là",
    "not_in_data": "{name} : absent des données de natograph",
    "skip": "Passer la carte : les pays en listes",
    "lists": "Les pays par relation, {date}",
    "empty": "aucun",
    "source": "D'après les requêtes enregistrées members et partners, au dernier jour de l'année "
              "(aujourd'hui pour l'année en cours) : les réponses de", "source_year": "ANNÉE",
    "source_map": "Carte : Natural Earth (domaine public), projection Equal Earth.",
    "data": "Les données de la carte (JSON)",
    "console_link": "Requêtes et SPARQL", "downloads": "Téléchargements", "ontology": "Ontologie",
})

# --- the query console and a stored query's results ---------------------------------------------
_add({
    "console": "Query the graph",
    "console_intro": "Run a stored query with your own parameters, or write SPARQL; every result downloads as CSV or JSON.",
    "catalogue": "Stored queries", "run": "Run", "results": "Results", "editor": "SPARQL editor",
    "example": "Example", "timeline": "Who joined which framework when (current partners)",
    "chart": "Partners by framework, today", "download": "Download", "stated": "stated by NATO",
    "sparql_text": "SPARQL query", "running": "Running…", "rows": "{n} rows", "one_row": "1 row",
    "truncated": "The first {n} rows are shown: the server's limit (--max-rows).",
    "results_of": "Results of the stored query {name}", "back_queries": "All the stored queries",
    "open_results": "Open the results as a page", "columns": "Columns", "parameters": "Parameters",
    "no_rows": "No row answers these parameters.",
}, {
    "console": "Interroger le graphe",
    "console_intro": "Lancez une requête enregistrée avec vos paramètres, ou écrivez du SPARQL ; chaque résultat "
                     "se télécharge en CSV ou en JSON.",
    "catalogue": "Requêtes enregistrées", "run": "Exécuter", "results": "Résultats", "editor": "Éditeur SPARQL",
    "example": "Exemple", "timeline": "Qui a rejoint quel cadre, et quand (partenaires actuels)",
    "chart": "Partenaires par cadre, aujourd'hui", "download": "Télécharger", "stated": "selon l'OTAN",
    "sparql_text": "Requête SPARQL", "running": "Exécution…", "rows": "{n} lignes", "one_row": "1 ligne",
    "truncated": "Seules les {n} premières lignes sont affichées : la limite du serveur (--max-rows).",
    "results_of": "Résultats de la requête enregistrée {name}", "back_queries": "Toutes les requêtes enregistrées",
    "open_results": "Ouvrir les résultats dans une page", "columns": "Colonnes", "parameters": "Paramètres",
    "no_rows": "Aucune ligne ne répond à ces paramètres.",
})

# --- a resource's page: its story, then its linked data ------------------------------------------
_add({
    "story": "Its story with NATO", "story_event": "What it launched and decided",
    "story_intro": "Each relation with its dates, as precise as the sources give "
    "them, and its sources, oldest first.", "glance": "At a glance", "no_story": "natograph records no dated "
    "relation for it.", "story_data": "This story as data (JSON)", "date": "Date", "relation": "Relation",
    "what": "With", "until_col": "Until", "sources": "Sources", "source_n": "Source {n} ({host})",
    "ongoing": "ongoing", "until_year": "until {date}", "until_month": "until {date}", "until_day": "until {date}",
    "undated_row": "undated",
    "rel_member of": "Member", "rel_partner in": "Partner", "rel_participant in": "Initiative",
    "rel_holds programme": "Programme", "rel_bilateral body": "Bilateral body", "rel_suspended in": "Suspended",
    "rel_DCB package": "DCB package", "rel_contributed to": "Contribution", "rel_summit": "Summit",
    "rel_ministerial meeting": "Ministerial meeting", "rel_began": "Began", "rel_ended": "Ended",
    "rel_launched at": "Launched at", "rel_decided at": "Decided at", "rel_member": "Member",
    "rel_partner": "Partner", "rel_participant": "Participant", "rel_holder": "Holder",
    "rel_counterpart": "Counterpart", "rel_contributor": "Contributor", "rel_suspension": "Suspended",
    "rel_recipient": "Recipient", "rel_launched": "Launched", "rel_concerns": "Concerns", "rel_adopted": "Adopted",
    "rel_replaced by": "Replaced by",
    "linked_data": "Linked data", "linked_intro": "Every triple natograph holds about it, for those who want them.",
    "type": "Type", "properties": "Properties", "relations": "Relations pointing here", "inferred":
    "Inferred by OWL RL", "from": "from", "with": "with", "start": "start", "end": "end",
    "terms": "Terms", "value": "value", "property": "property", "machine": "This resource as data",
    "home": "natograph", "participation_label": "{actor} in {structure}",
}, {
    "story": "Son histoire avec l'OTAN", "story_event": "Ce qu'il a lancé et décidé",
    "story_intro": "Chaque relation avec ses dates, aussi précises que les "
    "sources les donnent, et ses sources, de la plus ancienne à la plus récente.", "glance": "En un coup d'œil",
    "no_story": "natograph n'enregistre aucune relation datée à son sujet.",
    "story_data": "Cette histoire en données (JSON)", "date": "Date", "relation": "Relation", "what": "Avec",
    "until_col": "Jusqu'à", "sources": "Sources", "source_n": "Source {n} ({host})",
    "ongoing": "en cours", "until_year": "jusqu'en {date}", "until_month": "jusqu'en {date}",
    "until_day": "jusqu'au {date}", "undated_row": "non daté",
    "rel_member of": "Membre", "rel_partner in": "Partenaire", "rel_participant in": "Initiative",
    "rel_holds programme": "Programme", "rel_bilateral body": "Organe bilatéral", "rel_suspended in": "Suspension",
    "rel_DCB package": "Paquet DCB", "rel_contributed to": "Contribution", "rel_summit": "Sommet",
    "rel_ministerial meeting": "Réunion ministérielle", "rel_began": "Début", "rel_ended": "Fin",
    "rel_launched at": "Lancé lors de", "rel_decided at": "Décision lors de", "rel_member": "Membre",
    "rel_partner": "Partenaire", "rel_participant": "Participant", "rel_holder": "Bénéficiaire",
    "rel_counterpart": "Pays partenaire", "rel_contributor": "Contributeur", "rel_suspension": "Suspension",
    "rel_recipient": "Bénéficiaire", "rel_launched": "A lancé", "rel_concerns": "Concerne", "rel_adopted": "A adopté",
    "rel_replaced by": "Remplacé par",
    "linked_data": "Données liées", "linked_intro": "Tous les triplets que natograph détient à son sujet, pour "
    "qui les veut.",
    "type": "Type", "properties": "Propriétés", "relations": "Relations qui pointent ici", "inferred":
    "Inféré par OWL RL", "from": "de", "with": "avec", "start": "début", "end": "fin",
    "terms": "Termes", "value": "valeur", "property": "propriété", "machine": "Cette ressource en données",
    "home": "natograph", "participation_label": "{actor} : {structure}",
})

# --- the kinds of resource search finds and pages name ------------------------------------------
_add({
    "kind_country": "Country", "kind_organisation": "Organisation", "kind_framework": "Partnership framework",
    "kind_body": "Council or commission", "kind_programme": "Programme or partnership tool",
    "kind_initiative": "Initiative", "kind_operation": "Operation or mission", "kind_event": "Summit or meeting",
    "kind_package": "DCB package", "kind_other": "Resource",
}, {
    "kind_country": "Pays", "kind_organisation": "Organisation", "kind_framework": "Cadre de partenariat",
    "kind_body": "Conseil ou commission", "kind_programme": "Programme ou outil de partenariat",
    "kind_initiative": "Initiative", "kind_operation": "Opération ou mission", "kind_event": "Sommet ou réunion",
    "kind_package": "Paquet DCB", "kind_other": "Ressource",
})

# --- search --------------------------------------------------------------------------------------
_add({
    "search_title": "Search", "search_found": "{n} results for “{q}”", "search_found_one": "1 result for “{q}”",
    "search_none": "Nothing found for “{q}”.",
    "search_help": "Type a name, a code or a label in English or French, with or without accents: "
                   "algerie, PfP, OTAN-Ukraine.",
    "search_more": "The first {n} are shown; add a word to narrow the search.",
    "search_name": "Name", "search_kind": "Kind", "search_code": "Code",
    "search_noscript": "Search in this copy of the site runs in your browser: it needs JavaScript.",
    "search_index": "The search index (JSON)",
    "search_too_long": "The search text is longer than {n} characters.",
    "search_bad_limit": "The number of results (limit) is a number from 1 to {n}.",
}, {
    "search_title": "Recherche", "search_found": "{n} résultats pour « {q} »", "search_found_one": "1 résultat "
    "pour « {q} »", "search_none": "Aucun résultat pour « {q} ».",
    "search_help": "Saisissez un nom, un code ou un libellé, en français ou en anglais, avec ou sans accents : "
                   "algerie, PPP, OTAN-Ukraine.",
    "search_more": "Les {n} premiers sont affichés ; ajoutez un mot pour affiner la recherche.",
    "search_name": "Nom", "search_kind": "Type", "search_code": "Code",
    "search_noscript": "Dans cette copie du site, la recherche s'exécute dans votre navigateur : elle demande JavaScript.",
    "search_index": "L'index de recherche (JSON)",
    "search_too_long": "Le texte recherché dépasse {n} caractères.",
    "search_bad_limit": "Le nombre de résultats (limit) est un nombre de 1 à {n}.",
})

# --- error pages ------------------------------------------------------------------------------
_add({
    "error_404": "Not found", "error_404_text": "natograph has no page at this address.",
    "error_400": "This request cannot be answered", "error_400_text": "A parameter is not what natograph expects:",
    "error_503": "Busy", "error_503_text": "The server is busy or the query ran too long; try again in a moment:",
    "error_other": "Error", "error_back": "Back to the map", "error_search": "Or search for what you were looking for.",
}, {
    "error_404": "Page introuvable", "error_404_text": "natograph n'a pas de page à cette adresse.",
    "error_400": "Cette demande ne peut pas aboutir", "error_400_text": "Un paramètre n'est pas ce qu'attend "
    "natograph :",
    "error_503": "Serveur occupé", "error_503_text": "Le serveur est occupé ou la requête a duré trop longtemps ; "
    "réessayez dans un instant :",
    "error_other": "Erreur", "error_back": "Retour à la carte", "error_search": "Ou cherchez ce que vous cherchiez.",
})


def messages(lang: str) -> dict:
    """Every message in *lang* (``en`` or ``fr``); a ValueError names the languages for any other."""
    if lang not in MESSAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return MESSAGES[lang]


def other_language(lang: str) -> str:
    return "fr" if lang == "en" else "en"


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def precision(text: str) -> str | None:
    """``year``, ``month`` or ``day``: how precise a date of the data is (``1994``, ``1994-05``,
    ``1994-05-09``); None for a text that is no such date."""
    match = _DATE.match(text or "")
    if not match:
        return None
    return "day" if match.group(3) else "month" if match.group(2) else "year"


def human_date(text: str, lang: str) -> str:
    """A date of the data as people write it, at its precision: ``1994``, ``May 1994`` (``mai
    1994``), ``9 May 1994`` (``9 mai 1994``, ``1er mai 1994``); any other text as it is."""
    match = _DATE.match(text or "")
    if not match:
        return text or ""
    year, month, day = match.groups()
    months = messages(lang)["months"]
    if not month:
        return year
    name = months[int(month) - 1]
    if lang == "en" and day is None:
        return f"{name} {year}"
    if day is None:
        return f"{name} {year}"
    first = "1er" if lang == "fr" and int(day) == 1 else str(int(day))
    return f"{first} {name} {year}"


def until(text: str, lang: str) -> str:
    """``until 2003``, ``jusqu'en mai 2003``, ``jusqu'au 14 juin 2003``: an end date at its precision."""
    kind = precision(text) or "day"
    return messages(lang)[f"until_{kind}"].format(date=human_date(text, lang))
