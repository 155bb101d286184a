"""api/challenges.csv read by Python's own `csv` module the way a
spreadsheet reads it: UTF-8 with a byte order mark, `;` between fields,
RFC 4180 quoting, CRLF rows; checked field by field against
api/challenges.json."""

import csv
import io
import json

import pytest

from conftest import ROOT, build


COLUMNS = [
    "id", "lang", "title", "summary", "buyer", "stage", "status", "published",
    "opens", "deadline", "questions_deadline", "timezone", "category", "tags",
    "cpv", "contact_name", "contact_email", "contact_phone", "respond_url",
    "url", "calendar_url", "notice_url", "notice_id", "notice_source", "related",
    "regions", "value_min", "value_max", "value_currency", "suitable_for",
]


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    """tests/fixtures/ocds-site: a procurement with its official notice that
    follows an RFI written in Swedish and English."""
    out = tmp_path_factory.mktemp("csv") / "public"
    return build(ROOT / "tests" / "fixtures" / "ocds-site", out, "2024-03-01T12:00:00+01:00")


def read(out):
    raw = (out / "api" / "challenges.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "starts with the UTF-8 byte order mark"
    text = raw.decode("utf-8-sig")
    # Every row ends in CRLF; a line break inside a quoted field may be LF.
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def test_one_row_per_challenge_and_language_matching_the_json(sample):
    header, rows = read(sample)
    assert header == COLUMNS
    data = json.loads((sample / "api" / "challenges.json").read_text(encoding="utf-8"))
    expected = data["challenges"]
    assert len(rows) == len(expected) > 0
    assert {r["lang"] for r in rows} == {"sv", "en"}
    for row, c in zip(rows, expected):
        assert len(row) == len(COLUMNS)
        for field in ["id", "lang", "title", "summary", "buyer", "stage", "status",
                      "published", "deadline", "timezone", "url", "calendar_url"]:
            assert row[field] == (c[field] or ""), (field, row[field], c[field])
        assert row["opens"] == (c["opens"] or "")
        assert row["tags"].split("; ") == c["tags"] if c["tags"] else row["tags"] == ""
        assert row["cpv"] == "; ".join(c["cpv"])
        assert row["category"] == (c["category"] or "")
        contact = c["contact"] or {}
        assert row["contact_name"] == (contact.get("name") or "")
        assert row["contact_email"] == (contact.get("email") or "")
        assert row["respond_url"] == ((c["respond"] or {}).get("url") or "")
        notice = c["notice"] or {}
        for part in ["url", "id", "source"]:
            assert row[f"notice_{part}"] == (notice.get(part) or "")
        links = [f'{r["relation"]}:{r["id"]}' for r in c["related"]]
        assert row["related"] == "; ".join(links)
        assert row["regions"] == "; ".join(r["name"] for r in c["regions"])
        value = c["value"] or {}
        assert row["value_min"] == str(value.get("min") or "")
        assert row["value_max"] == str(value.get("max") or "")
        assert row["value_currency"] == (value.get("currency") or "")
        assert row["suitable_for"] == "; ".join(c["suitable_for"])
    # Swedish letters of the regions come through the byte order mark.
    assert any(r["regions"] == "Västra Götalands län" for r in rows)


def test_the_notice_and_related_challenges_match_the_json(fixture_site):
    header, rows = read(fixture_site)
    data = json.loads((fixture_site / "api" / "challenges.json").read_text(encoding="utf-8"))
    linked = 0
    for row, c in zip(rows, data["challenges"]):
        notice = c["notice"] or {}
        assert row["notice_url"] == (notice.get("url") or "")
        assert row["notice_id"] == (notice.get("id") or "")
        assert row["related"] == "; ".join(f'{r["relation"]}:{r["id"]}' for r in c["related"])
        linked += bool(c["related"])
    by_id = {(r["id"], r["lang"]): r for r in rows}
    procurement = by_id[("challenges/upphandling-klimat", "sv")]
    assert procurement["notice_source"] == "TED"
    assert procurement["related"] == "follows:challenges/klimat-rfi"
    assert by_id[("challenges/klimat-rfi", "sv")]["related"] == "followed-by:challenges/upphandling-klimat"
    assert linked == 3


def test_swedish_letters_quotes_and_separators_round_trip(site):
    title = 'Smörgåsbord; "ÅÄÖ" åäö é'
    summary = "=SUMMA(A1:A2) ska visas som text"
    out = site({
        "content/challenges/a.md": (
            "---\n"
            f"title: '{title}'\n"
            f"summary: \"{summary}\"\n"
            "buyer: Malmö stad\n"
            "stage: rfi\n"
            "published: 2023-06-15\n"
            "deadline: 2023-09-15\n"
            "tags: [kött, fisk]\n"
            "---\n\nText.\n"
        ),
    })
    _, rows = read(out)
    (row,) = rows
    assert row["title"] == title
    assert row["buyer"] == "Malmö stad"
    assert row["tags"] == "kött; fisk"
    # A text a spreadsheet would run as a formula is shown as text.
    assert row["summary"] == "'" + summary
    assert row["deadline"] == "2023-09-15T23:59:00+02:00"
