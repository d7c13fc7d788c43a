"""Bad input: one clear error naming the file (and line, column where there is one), never a traceback."""

from __future__ import annotations

import pytest

from natograph.cli import main
from natograph.errors import InputError
from natograph.graph.parsing import MAX_BYTES, expand_paths, parse_file


def check(capsys, path, fragment):
    code = main(["validate", str(path)])
    _, err = capsys.readouterr()
    assert code == 2
    assert fragment in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_turtle_syntax_error_has_file_line_and_column(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    err = check(capsys, bad, "syntax error")
    assert f"{bad}:3:" in err


def test_unknown_prefix_is_named(tmp_path, capsys):
    bad = tmp_path / "prefix.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a foo:b ex:c .\n")
    err = check(capsys, bad, 'Prefix "foo:" not bound')
    assert f"{bad}:3:6:" in err


def test_folder_without_turtle(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("hello")
    check(capsys, tmp_path, "folder holds no .ttl file")


def test_folder_is_expanded_to_its_turtle_files(tmp_path):
    (tmp_path / "b.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.ttl").write_text("<urn:a> <urn:b> <urn:d> .\n")
    assert [p.name for p in expand_paths([tmp_path])] == ["b.ttl", "a.ttl"]


def test_empty_file(tmp_path, capsys):
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    check(capsys, empty, "file is empty")


def test_whitespace_only_file(tmp_path, capsys):
    blank = tmp_path / "blank.ttl"
    blank.write_text("\n   \n")
    check(capsys, blank, "only white space")


def test_huge_file_is_refused_without_reading_it(tmp_path, capsys):
    huge = tmp_path / "huge.ttl"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, no memory spent
    err = check(capsys, huge, "over the")
    assert f"{MAX_BYTES // 1_048_576} MiB limit" in err


def test_the_input_size_limit_is_set_from_the_environment(tmp_path, capsys, monkeypatch):
    two = tmp_path / "two.ttl"
    two.write_text("<urn:a> <urn:b> <urn:c> .\n" * 90_000)  # 2.2 MiB
    monkeypatch.setenv("NATOGRAPH_MAX_INPUT_MIB", "1")
    check(capsys, two, "over the 1 MiB limit (NATOGRAPH_MAX_INPUT_MIB)")
    huge = tmp_path / "huge.ttl"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    monkeypatch.setenv("NATOGRAPH_MAX_INPUT_MIB", "64")
    check(capsys, huge, "binary content")  # read, now that it is under the limit: its NUL bytes are refused
    for value in ("0", "1025", "x", "1.5", "-1", "١٦"):
        monkeypatch.setenv("NATOGRAPH_MAX_INPUT_MIB", value)
        check(capsys, two, "NATOGRAPH_MAX_INPUT_MIB must be a whole number of MiB from 1 to 1024")


def test_binary_file(tmp_path, capsys):
    binary = tmp_path / "image.ttl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    check(capsys, binary, "binary content")


def test_not_utf8(tmp_path, capsys):
    latin = tmp_path / "latin.ttl"
    latin.write_bytes('<urn:a> <urn:b> "Alg\xe9rie" .\n'.encode("latin-1"))
    check(capsys, latin, "not valid UTF-8")


def test_unknown_extension(tmp_path, capsys):
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n")
    check(capsys, odd, "unknown file type '.csv'")


def test_ntriples_error_names_the_line(tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n")
    with pytest.raises(InputError) as caught:
        parse_file(bad)
    assert caught.value.line == 2


def test_rdfxml_syntax_error_names_line_and_column(tmp_path):
    bad = tmp_path / "bad.rdf"
    bad.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<oops></rdf:RDF>\n')
    with pytest.raises(InputError) as caught:
        parse_file(bad)
    assert caught.value.line == 3 and caught.value.column is not None


def test_ill_typed_literal_is_a_violation_not_a_crash(tmp_path, capsys):
    odd = tmp_path / "date.ttl"
    odd.write_text(
        "@prefix ng: <https://w3id.org/natograph/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix ptn: <https://w3id.org/natograph/id/participation/> .\n"
        "@prefix cty: <https://w3id.org/natograph/id/country/> .\n"
        "@prefix fw: <https://w3id.org/natograph/id/framework/> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "ptn:MT-PfP-3 a ng:Participation ; ng:participant cty:MT ; ng:partnershipIn fw:PfP ;\n"
        '    ng:startDate "2030-02-30"^^xsd:date ; dcterms:source <https://www.nato.int/cps/fr/natohq/topics_84336.htm> .\n'
    )
    code = main(["validate", str(odd)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert code == 1
    assert "ptn:MT-PfP-3" in out and "start date must be one valid xsd:date" in out
