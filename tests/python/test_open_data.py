"""Open data: api/challenges.json and the OCDS files api/ocds.json (every
release) and api/ocds-records.json (the compiled state of each challenge).

The OCDS package is checked against the official OCDS 1.1.5 schemas, copied
unchanged into fixtures/ocds-1.1.5/, without any network access: the package
schema refers to the release schema by URL, and a `referencing.Registry`
maps that URL to the local copy.
"""

import datetime
import json
import pathlib
import re
import urllib.parse

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from conftest import SAMPLE_NOW, ROOT, build

SCHEMAS = pathlib.Path(__file__).parent / "fixtures" / "ocds-1.1.5"
RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
BASE_URL = "https://utmaningar.example.se/"

STATUSES = {"upcoming", "open", "closing-soon", "closed"}
STAGES = {
    "need", "challenge", "rfi", "dialogue", "procurement",
    "concept", "prototype", "pilot", "implementation", "cancelled",
}
# RFC 3339 with seconds and a numeric offset or Z.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def load(path):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))


def format_checker():
    """Checks `date-time` and `uri` without the optional packages jsonschema
    would otherwise need for them (it skips formats it cannot check)."""
    checker = FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def is_datetime(value):
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            raise ValueError(f"not RFC 3339: {value!r}")
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    @checker.checks("uri", raises=ValueError)
    def is_uri(value):
        if not isinstance(value, str):
            return True
        # A URI is ASCII without spaces and starts with a scheme.
        if not value.isascii() or re.search(r"\s", value):
            raise ValueError(f"not a URI: {value!r}")
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            raise ValueError(f"no scheme: {value!r}")
        return True

    return checker


def ocds_validator():
    package = load(SCHEMAS / "release-package-schema.json")
    release = load(SCHEMAS / "release-schema.json")
    registry = Registry().with_resource(
        RELEASE_SCHEMA_URL, Resource.from_contents(release, default_specification=DRAFT4)
    )
    Draft4Validator.check_schema(package)
    return Draft4Validator(package, registry=registry, format_checker=format_checker())


def release_of(records, slug):
    """The compiled release of the challenge at `challenges/<slug>`: the
    challenge as it stands at the build clock."""
    matches = [
        r["compiledRelease"]
        for r in records["records"]
        if r["ocid"].endswith("-challenges-" + slug)
    ]
    assert len(matches) == 1, [r["ocid"] for r in records["records"]]
    return matches[0]


def entry_of(data, slug):
    matches = [c for c in data["challenges"] if c["id"] == "challenges/" + slug]
    assert len(matches) == 1
    return matches[0]


def output_file(out, url, base=BASE_URL):
    """The file in the output folder that an absolute URL of the site names."""
    assert url.startswith(base), f"{url} is not under {base}"
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    path = path[len(urllib.parse.urlsplit(base).path):]
    if path == "" or path.endswith("/"):
        path += "index.html"
    return out / path


@pytest.fixture(scope="module")
def package(sample):
    return load(sample / "api" / "ocds.json")


@pytest.fixture(scope="module")
def records(sample):
    return load(sample / "api" / "ocds-records.json")


@pytest.fixture(scope="module")
def challenges(sample):
    return load(sample / "api" / "challenges.json")


# --- OCDS ------------------------------------------------------------------


def test_ocds_package_validates_against_the_official_schema(package):
    errors = sorted(ocds_validator().iter_errors(package), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors
    )


def test_the_validator_really_checks_releases(package):
    # Guard against a registry that silently resolves nothing: a release
    # without its required fields must fail.
    broken = dict(package, releases=[{"ocid": "x"}])
    assert list(ocds_validator().iter_errors(broken))
    bad_date = json.loads(json.dumps(package))
    bad_date["releases"][0]["date"] = "2023-08-31"
    assert list(ocds_validator().iter_errors(bad_date))


def test_package_metadata(package):
    assert package["version"] == "1.1"
    assert package["uri"] == BASE_URL + "api/ocds.json"
    assert package["publishedDate"] == SAMPLE_NOW
    assert package["publisher"]["name"] == "Innovationsutmaningar"
    assert "license" not in package


def test_one_record_per_challenge(package, records, challenges):
    # Four challenges; two of them also in English. Each language version is
    # its own entry in challenges.json, and a challenge with its
    # translations is one contracting process: one record, one OCID.
    assert len(records["records"]) == 4
    assert len(challenges["challenges"]) == 6
    ocids = [r["ocid"] for r in records["records"]]
    assert len(set(ocids)) == len(ocids)
    # The sample's illustrative prefix, then the challenge's address.
    assert all(o.startswith("ocds-xmpl00-challenges-") for o in ocids)
    assert {c["ocid"] for c in challenges["challenges"]} == set(ocids)
    assert {r["ocid"] for r in package["releases"]} == set(ocids)
    for r in package["releases"]:
        assert "#" not in r["id"]
        assert r["initiationType"] == "tender"
        assert r["language"] == "sv"


def test_helsingborg_rfi(records):
    r = release_of(records, "klimatavtryck-offentlig-konsumtion")
    tender = r["tender"]
    assert tender["tenderPeriod"]["endDate"] == "2023-08-31T23:59:00+02:00"
    assert tender["enquiryPeriod"]["endDate"] == "2023-08-15T23:59:00+02:00"
    assert tender["status"] == "active"  # closing soon at the sample clock
    assert "inte en upphandling" in tender["procurementMethodDetails"]
    assert r["buyer"]["name"] == "Helsingborgs stad"
    types = [d.get("documentType") for d in tender["documents"]]
    # The challenge page in Swedish and in English.
    assert types.count("tenderNotice") == 2
    assert types.count("clarifications") == 2
    formats = {d["url"]: d.get("format") for d in tender["documents"]}
    assert formats[BASE_URL + "challenges/klimatavtryck-offentlig-konsumtion/rfi-fragor.txt"] == "text/plain"
    meeting = tender["milestones"][0]
    assert (meeting["type"], meeting["dueDate"], meeting["status"]) == (
        "engagement", "2023-08-10T13:00:00+02:00", "met",
    )


def test_cpv_classification(records, challenges):
    compiled = [r["compiledRelease"] for r in records["records"]]
    for entry in challenges["challenges"]:
        r = next(r for r in compiled if r["ocid"] == entry["ocid"])
        if not entry["cpv"]:
            assert "items" not in r["tender"]
            continue
        item = r["tender"]["items"][0]
        classifications = [item["classification"], *item.get("additionalClassifications", [])]
        assert all(c["scheme"] == "CPV" for c in classifications)
        assert [c["id"] for c in classifications] == [code.split("-")[0] for code in entry["cpv"]]
    assert any(r["tender"].get("items") for r in compiled)


def test_amendments_of_the_amended_challenge(amended_sample):
    # Built at a clock after the amendment; at SAMPLE_NOW it is held back.
    package = load(amended_sample / "api" / "ocds.json")
    records = load(amended_sample / "api" / "ocds-records.json")
    challenges = load(amended_sample / "api" / "challenges.json")
    errors = list(ocds_validator().iter_errors(package))
    assert not errors, [e.message for e in errors[:5]]
    r = release_of(records, "minskat-matsvinn-i-skolkoket")
    (amendment,) = r["tender"]["amendments"]
    assert amendment["date"] == "2026-12-10T00:00:00+01:00"
    assert "flyttas två veckor framåt" in amendment["description"]
    assert (
        "tender.tenderPeriod.endDate: 2027-02-26T12:00:00+01:00 → 2027-03-15T12:00:00+01:00"
        in amendment["description"]
    )
    # The tender period shows the deadline as amended.
    assert r["tender"]["tenderPeriod"]["endDate"] == "2027-03-15T12:00:00+01:00"
    assert r["tender"]["enquiryPeriod"]["endDate"] == "2027-03-01T23:59:00+01:00"
    assert r["date"] == amendment["date"]
    (released,) = [x for x in package["releases"] if x["id"] == amendment["releaseID"]]
    assert released["tag"] == ["tenderAmendment"]
    assert released["id"].endswith("-2026-12-10-amendment-1")

    (update,) = entry_of(challenges, "minskat-matsvinn-i-skolkoket")["updates"]
    assert update["deadline_from"] == "2027-02-26T12:00:00+01:00"
    assert update["deadline_to"] == "2027-03-15T12:00:00+01:00"
    assert update["questions_deadline_to"] == "2027-03-01T23:59:00+01:00"

    # A challenge without updates has no amendments.
    assert "amendments" not in release_of(records, "trygg-skolvag")["tender"]


def test_an_amendment_dated_later_is_held_back(package, records, challenges):
    # At SAMPLE_NOW the amendment dated 2026-12-10 is not out yet: no
    # amendment release, and the deadline it sets does not apply.
    r = release_of(records, "minskat-matsvinn-i-skolkoket")
    assert "amendments" not in r["tender"]
    assert r["tender"]["tenderPeriod"]["endDate"] == "2027-02-26T12:00:00+01:00"
    assert not any(x["id"].endswith("-2026-12-10-amendment-1") for x in package["releases"])
    assert entry_of(challenges, "minskat-matsvinn-i-skolkoket")["updates"] == []


def test_contact_point_and_parties(records):
    for r in (record["compiledRelease"] for record in records["records"]):
        (party,) = r["parties"]
        assert party["id"] == r["buyer"]["id"] == r["tender"]["procuringEntity"]["id"]
        assert set(party["roles"]) == {"buyer", "procuringEntity"}
        contact = party["contactPoint"]
        assert contact["name"] and "@" in contact["email"] and contact["telephone"]


def test_stages_map_to_tender_status_and_tags(package, records):
    need = release_of(records, "trygg-skolvag")
    (first,) = [r for r in package["releases"] if r["ocid"] == need["ocid"]]
    assert first["tag"] == ["planning"]
    assert need["tender"]["status"] == "planning"
    done = release_of(records, "upplev-min-verklighet")
    tags = [r["tag"] for r in package["releases"] if r["ocid"] == done["ocid"]]
    assert tags[0] == ["tender"] and tags[-1] == ["tenderUpdate"]
    assert done["tender"]["status"] == "complete"
    phases = [m for m in done["tender"]["milestones"] if m["type"] == "delivery"]
    assert [m["title"] for m in phases][1:] == ["Konceptfas", "Prototypfas"]


# --- challenges.json ---------------------------------------------------------


DATE_FIELDS = ("published", "opens", "deadline", "questions_deadline")


def all_dates(entry):
    """Every date-time value of a challenge entry, with where it is."""
    for f in DATE_FIELDS:
        yield f, entry[f]
    for i, u in enumerate(entry["updates"]):
        for f in ("date", "deadline_from", "deadline_to", "questions_deadline_from", "questions_deadline_to"):
            yield f"updates[{i}].{f}", u[f]
    for i, q in enumerate(entry["questions"]):
        yield f"questions[{i}].asked", q["asked"]
        yield f"questions[{i}].answered", q["answered"]
    for i, e in enumerate(entry["events"]):
        yield f"events[{i}].start", e["start"]
        yield f"events[{i}].end", e["end"]
    for i, p in enumerate(entry["phases"]):
        yield f"phases[{i}].start", p["start"]
        yield f"phases[{i}].end", p["end"]


def test_challenges_file_header(challenges):
    assert challenges["version"] == "2.1"
    assert challenges["generated"] == SAMPLE_NOW
    assert challenges["site"] == {
        "title": "Innovationsutmaningar",
        "url": BASE_URL,
        "language": "sv",
        "timezone": "Europe/Stockholm",
    }


def test_every_date_has_an_offset(challenges):
    seen = 0
    for entry in challenges["challenges"]:
        for where, value in all_dates(entry):
            if value is None:
                continue
            seen += 1
            assert RFC3339.match(value), f"{entry['id']} {where}: {value}"
            assert datetime.datetime.fromisoformat(value).utcoffset() is not None
    assert seen > 20
    helsingborg = entry_of(challenges, "klimatavtryck-offentlig-konsumtion")
    assert helsingborg["deadline"] == "2023-08-31T23:59:00+02:00"
    assert helsingborg["opens"] is None


SUITABLE = {"sme", "startup", "large-enterprise", "research", "civil-society",
            "public-sector", "consortium"}
BANDS = ["under-1m", "1m-10m", "over-10m"]


def test_supplier_fields(challenges):
    """regions, value, suitable_for and cpv_details, as the sample writes
    them: each challenge of the sample uses them, in both languages."""
    for entry in challenges["challenges"]:
        assert entry["regions"], entry["id"]
        for region in entry["regions"]:
            assert region["kind"] in {"municipality", "county", "country"}
            assert re.fullmatch(r"SE(\d{3})?", region["nuts"]), region
            assert (region["county"] is not None) == (region["kind"] == "municipality")
        assert set(entry["suitable_for"]) <= SUITABLE and entry["suitable_for"]
        assert [c["code"] for c in entry["cpv_details"]] == entry["cpv"]
        for c in entry["cpv_details"]:
            assert c["division"] == c["code"][:2] + "000000"
            assert c["name"], c
        value = entry["value"]
        if value is not None:
            assert value["currency"] == "SEK"
            low, high = value["min"] or 0, value["max"] or 10**15
            assert low <= high
            bounds = {"under-1m": (0, 999_999), "1m-10m": (1_000_000, 10_000_000),
                      "over-10m": (10_000_001, 10**15)}
            assert value["bands"] == [b for b in BANDS
                                      if low <= bounds[b][1] and high >= bounds[b][0]]
    helsingborg = entry_of(challenges, "klimatavtryck-offentlig-konsumtion")
    assert helsingborg["regions"] == [{"name": "Helsingborg", "kind": "municipality",
                                       "code": "1283", "nuts": "SE224",
                                       "county": "Skåne län"}]
    assert helsingborg["value"] is None
    english = [e for e in challenges["challenges"]
               if e["lang"] == "en" and e["cpv"] == ["72000000-5", "73000000-2"]][0]
    assert english["cpv_details"][1]["name"].startswith("Research and development")
    karlstad = entry_of(challenges, "upplev-min-verklighet")
    assert karlstad["value"] == {"min": 300000, "max": 400000, "currency": "SEK",
                                 "bands": ["under-1m"]}


def test_status_and_stage_values(challenges):
    for entry in challenges["challenges"]:
        assert entry["status"] in STATUSES
        assert entry["stage"] in STAGES
    assert entry_of(challenges, "klimatavtryck-offentlig-konsumtion")["status"] == "closing-soon"
    assert entry_of(challenges, "upplev-min-verklighet")["status"] == "closed"


def test_urls_are_absolute_and_point_to_output_files(sample, challenges, package):
    checked = 0
    for entry in challenges["challenges"]:
        assert entry["id"] == entry["url"][len(BASE_URL):].strip("/")
        own = [entry["url"], entry["calendar_url"]]
        own += [d["url"] for d in entry["documents"] if not d["external"]]
        for url in own:
            assert output_file(sample, url).is_file(), url
            checked += 1
        assert entry["calendar_url"] == entry["url"] + "calendar.ics"
        page = output_file(sample, entry["url"]).read_text(encoding="utf-8")
        for q in entry["questions"]:
            base, _, anchor = q["url"].partition("#")
            assert base == entry["url"] and f'id="{anchor}"' in page, q["url"]
        for d in entry["documents"]:
            assert urllib.parse.urlsplit(d["url"]).scheme in ("http", "https")
    for r in package["releases"]:
        for d in r["tender"].get("documents", []):
            if d.get("url", "").startswith(BASE_URL):
                assert output_file(sample, d["url"].partition("#")[0]).is_file(), d["url"]
                checked += 1
    assert output_file(sample, package["uri"]).is_file()
    assert checked > 10


def test_documents_and_fields(challenges):
    entry = entry_of(challenges, "klimatavtryck-offentlig-konsumtion")
    local, link = entry["documents"]
    assert (local["type"], local["media_type"], local["external"]) == ("TXT", "text/plain", False)
    assert local["size_bytes"] == (ROOT / "content/challenges/klimatavtryck-offentlig-konsumtion/rfi-fragor.txt").stat().st_size
    assert (link["external"], link["size_bytes"], link["type"]) == (True, None, "PDF")
    assert entry["respond"]["url"] == "https://utmaningar.example.se/svara/klimat"
    assert entry["respond"]["instructions"].startswith("Svara i webbformuläret")
    assert "**Dokument**" in entry["respond"]["instructions"]  # Markdown as written
    assert entry["facts"][0] == {"label": "Inköp per år", "value": "cirka 3,4 miljarder kr"}
    assert entry["cpv"] == ["72000000-5", "73000000-2"]
    assert entry["compensation"] == "Ingen ersättning utgår för svar på RFI:n."
    assert entry["outcome"] is None
    assert "<h2" in entry["body_html"]
    done = entry_of(challenges, "upplev-min-verklighet")
    assert done["outcome"].startswith("Utmaningen är avslutad.")
    assert done["phases"][1]["suppliers"] == "7"


# --- determinism and round trips -------------------------------------------------


def test_byte_identical_across_builds(tmp_path, sample):
    again = build(ROOT, tmp_path / "again")
    for name in ("challenges.json", "ocds.json", "ocds-records.json"):
        first = (sample / "api" / name).read_bytes()
        assert first == (again / "api" / name).read_bytes(), name
        assert first.endswith(b"}\n")
    later = build(ROOT, tmp_path / "later", "2023-09-05T10:00:00+02:00")
    data = load(later / "api" / "challenges.json")
    assert data["generated"] == "2023-09-05T10:00:00+02:00"
    assert entry_of(data, "klimatavtryck-offentlig-konsumtion")["status"] == "closed"
    # The deadline passing adds a release and keeps the ones before it.
    before = load(sample / "api" / "ocds.json")["releases"]
    after = load(later / "api" / "ocds.json")["releases"]
    (added,) = [r for r in after if r not in before]
    assert added["id"].endswith("-challenges-klimatavtryck-offentlig-konsumtion-2023-08-31-closed")
    assert added["tender"] == {"id": added["ocid"], "status": "complete"}
    compiled = release_of(load(later / "api" / "ocds-records.json"), "klimatavtryck-offentlig-konsumtion")
    assert compiled["tender"]["status"] == "complete"


def toml_string(s):
    """A TOML basic string holding exactly `s`."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


TRICKY = {
    "title": 'Säg "hej" </script><script>alert(1)</script> & <b>fet</b> 😀',
    # One-line fields refuse tabs and line separators; a Markdown field
    # (the question) carries them.
    "summary": "Backslash \\ och ÅÄÖ åäö ü, 中文, e\u0301.",
    "buyer": 'Kommunen "Å" <AB>',
    "contact": "Zoë O'Brien-Åström",
    "tag": "<tagg> & \"citat\"",
    "fact": "≈ 3,4 mdr kr </script>",
    "question": "Får vi skriva </script> i svaret? Med tab\t och radbrytning U+2028\u2028.",
    "document": "Rapport \"2023\" <utkast>",
}


def tricky_site(site):
    t = TRICKY
    text = f"""+++
title = {toml_string(t["title"])}
summary = {toml_string(t["summary"])}
buyer = {toml_string(t["buyer"])}
stage = "rfi"
published = "2023-06-01"
deadline = "2023-09-30"
tags = [{toml_string(t["tag"])}]
cpv = ["72000000-5", "72000000-5", "73000000-2"]

[contact]
name = {toml_string(t["contact"])}
email = "zoe@example.se"

[[documents]]
title = {toml_string(t["document"])}
url = "https://example.se/dokument/rapport%20å.pdf"

[[facts]]
label = "Budget"
value = {toml_string(t["fact"])}

[[questions]]
question = {toml_string(t["question"])}
answer = "Ja: `</script>` är bara text."
date = "2023-06-10"
+++

Brödtext.
"""
    return site({"content/challenges/knepig.md": text})


def test_special_characters_round_trip(site):
    out = tricky_site(site)
    data = load(out / "api" / "challenges.json")
    (entry,) = data["challenges"]
    t = TRICKY
    assert entry["title"] == t["title"]
    assert entry["summary"] == t["summary"]
    assert entry["buyer"] == t["buyer"]
    assert entry["contact"]["name"] == t["contact"]
    assert entry["tags"] == [t["tag"]]
    assert entry["facts"] == [{"label": "Budget", "value": t["fact"]}]
    assert entry["questions"][0]["question"] == t["question"]
    assert entry["questions"][0]["answer"] == "Ja: `</script>` är bara text."
    assert entry["url"] == "https://example.se/utmaningar/challenges/knepig/"
    (document,) = entry["documents"]
    assert document["title"] == t["document"]
    # The address as written has an å (a space is refused, so it is written
    # `%20`); both files give a URI, with the `%20` kept as it is.
    assert document["url"] == "https://example.se/dokument/rapport%20%C3%A5.pdf"
    assert (document["type"], document["media_type"]) == ("PDF", "application/pdf")

    package = load(out / "api" / "ocds.json")
    errors = list(ocds_validator().iter_errors(package))
    assert not errors, [e.message for e in errors]
    release = release_of(load(out / "api" / "ocds-records.json"), "knepig")
    assert release["ocid"] == "ocds-test00-challenges-knepig"
    assert release["tender"]["title"] == t["title"]
    assert release["tender"]["description"] == t["summary"]
    assert release["buyer"]["name"] == t["buyer"]
    assert release["parties"][0]["contactPoint"]["name"] == t["contact"]
    # A code written twice is one classification (the schema wants them unique).
    (item,) = release["tender"]["items"]
    assert item["classification"]["id"] == "72000000"
    assert item["additionalClassifications"] == [{"scheme": "CPV", "id": "73000000"}]
    documents = {d["id"]: d for d in release["tender"]["documents"]}
    assert documents["document-1"]["title"] == t["document"]
    assert documents["document-1"]["url"] == document["url"]
    # Non-ASCII is written as UTF-8, not escaped, so the files stay readable.
    raw = (out / "api" / "challenges.json").read_text(encoding="utf-8")
    assert "😀" in raw and "åäö" in raw


def test_translations_share_one_release(site):
    files = {
        "site.toml": 'title = "Testportal"\nbase_url = "https://example.se/"\n'
        'languages = ["sv", "en"]\nocid_prefix = "ocds-test00"\n',
        "content/challenges/cykel.md": """---
title: Bättre cykelparkering
summary: Vi söker idéer om cykelparkering.
buyer: Exempelstad
stage: rfi
published: 2023-06-01
deadline: 2023-09-30
contact:
  name: Ada
  email: ada@example.se
---
Text.
""",
        "content/challenges/cykel.en.md": """---
title: Better bicycle parking
summary: We are looking for ideas on bicycle parking.
buyer: Exempelstad
stage: rfi
published: 2023-06-01
deadline: 2023-09-30
contact:
  name: Ada
  email: ada@example.se
---
Text.
""",
    }
    out = site(files)
    data = load(out / "api" / "challenges.json")
    by_lang = {c["lang"]: c for c in data["challenges"]}
    assert set(by_lang) == {"sv", "en"}
    assert by_lang["sv"]["id"] == "challenges/cykel"
    assert by_lang["en"]["id"] == "en/challenges/cykel"
    assert by_lang["sv"]["ocid"] == by_lang["en"]["ocid"]

    package = load(out / "api" / "ocds.json")
    assert not list(ocds_validator().iter_errors(package))
    (release,) = package["releases"]
    assert release["ocid"] == "ocds-test00-challenges-cykel"
    assert release["language"] == "sv"
    tender = release["tender"]
    assert tender["title"] == "Bättre cykelparkering"
    assert tender["title_en"] == "Better bicycle parking"
    assert tender["description_en"] == "We are looking for ideas on bicycle parking."
    notices = {d["language"]: d["url"] for d in tender["documents"] if d.get("documentType") == "tenderNotice"}
    assert notices == {
        "sv": "https://example.se/challenges/cykel/",
        "en": "https://example.se/en/challenges/cykel/",
    }
    for url in notices.values():
        assert output_file(out, url, "https://example.se/").is_file()
