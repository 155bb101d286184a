"""OCDS as aggregators check it: api/ocds.json (every release) and
api/ocds-records.json (one record per challenge), on the sample portal and
on tests/fixtures/ocds-site.

- libcoveocds, the library behind the OCDS Data Review Tool, with every
  additional check, against the standard's schema folder 1.1.5 in
  fixtures/ocds-1.1.5/standard-1__1__5-schema.zip and the two extensions
  the packages declare (Location, Suitability), copied into
  fixtures/ocds-extensions/. Nothing is fetched: every URL of the schema
  folder is served from the zip, each extension's archive from its copy,
  and any other request fails the test.
- ocdsmerge, the standard's reference implementation of merging, compiles
  each record's releases with the release schema and the extensions'
  patches; the result must be the record's compiledRelease.

The "broken" tests feed each check a package with one thing wrong (the
prefix, a release left out, a compiled field changed) and require it to
notice, so that the checks above cannot pass by not looking.
"""

import copy
import io
import json
import pathlib
import tempfile
import zipfile

import pytest
import requests
import libcoveocds.api
import ocdsextensionregistry.util
import ocdsmerge
from libcoveocds.config import LibCoveOCDSConfig

from conftest import ROOT, build

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "ocds-1.1.5"
STANDARD_ZIP = FIXTURES / "standard-1__1__5-schema.zip"
SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/"
EXTENSIONS = pathlib.Path(__file__).parent / "fixtures" / "ocds-extensions"
LOCATION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/master/extension.json"
SUITABILITY = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_suitability_extension/master/extension.json"
# Where ocdsextensionregistry reads an extension named by a
# raw.githubusercontent.com URL from: the repository's archive of that
# branch, with the folder its files are copied to here.
ARCHIVES = {
    "https://github.com/open-contracting-extensions/ocds_location_extension/archive/master.zip":
        ("ocds_location_extension-master", EXTENSIONS / "location"),
    "https://github.com/open-contracting-extensions/ocds_suitability_extension/archive/master.zip":
        ("ocds_suitability_extension-master", EXTENSIONS / "suitability"),
}
OCDS_SITE = ROOT / "tests" / "fixtures" / "ocds-site"
OCDS_SITE_NOW = "2024-03-01T12:00:00+01:00"
# OCDS language variants: `title_en`, `description_en`.
LANGUAGE_VARIANT = ("title_", "description_")


def load(path):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))


class _Response:
    def __init__(self, data):
        self.content = data
        self.status_code = 200

    @property
    def text(self):
        return self.content.decode("utf-8")

    def json(self, **kwargs):
        return json.loads(self.content, **kwargs)

    def raise_for_status(self):
        pass


def archive(top, folder):
    """The files of `folder` zipped as GitHub zips a branch: everything
    under one folder `top/`, folders listed before their files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(f"{top}/", b"")
        for path in sorted(folder.rglob("*")):
            name = f"{top}/{path.relative_to(folder).as_posix()}"
            if path.is_dir():
                z.writestr(f"{name}/", b"")
            else:
                z.writestr(name, path.read_bytes())
    return buffer.getvalue()


@pytest.fixture
def offline(monkeypatch):
    """Serves the schema folder from the zip and the extensions from their
    copies; any other request fails."""
    with zipfile.ZipFile(STANDARD_ZIP) as z:
        files = {
            name.split("/schema/", 1)[1]: z.read(name)
            for name in z.namelist()
            if "/schema/" in name and name.endswith(".json")
        }
    archives = {url: archive(top, folder) for url, (top, folder) in ARCHIVES.items()}

    def get(url, *args, **kwargs):
        name = url.split("#", 1)[0]
        if name.startswith(("https://", "http://")):
            name = name.split("://", 1)[1]
            prefix = SCHEMA_URL.split("://", 1)[1]
            if name.startswith(prefix) and name[len(prefix):] in files:
                return _Response(files[name[len(prefix):]])
        raise AssertionError(f"the test is offline, but {url} was requested")

    def get_extension(url, *args, **kwargs):
        if url in archives:
            return _Response(archives[url])
        raise AssertionError(f"the test is offline, but {url} was requested")

    def send(self, request, *args, **kwargs):
        raise AssertionError(f"the test is offline, but {request.url} was requested")

    monkeypatch.setattr(requests, "get", get)
    # ocdsextensionregistry fetches extensions through a session of its own.
    monkeypatch.setattr(ocdsextensionregistry.util.session, "get", get_extension)
    monkeypatch.setattr(requests.Session, "send", send)


def review(path):
    """libcoveocds's report on the package at `path`, as the Data Review
    Tool makes it: schema 1.1, all additional checks."""
    config = LibCoveOCDSConfig()
    config.config["context"] = "api"
    config.config["standard_zip"] = f"file://{STANDARD_ZIP}"
    config.config["additional_checks"] = "all"
    # With extensions, the library writes the patched schema into the
    # output folder.
    with tempfile.TemporaryDirectory() as out:
        return libcoveocds.api.ocds_json_output(
            out, file=str(path), schema_version="1.1", lib_cove_ocds_config=config
        )


def problems(report):
    """What an aggregator rejects or flags in a report."""
    additional = [
        f"{f['path']}/{f['field']}"
        for f in report.get("additional_fields", [])
        if not f["field"].startswith(LANGUAGE_VARIANT)
    ]
    return {
        "validation": report["validation_errors"],
        "conformance": report.get("conformance_errors"),
        "additional fields": additional,
        "additional checks": report.get("additional_checks") or {},
        "closed codelists": report.get("additional_closed_codelist_values") or {},
    }


CLEAN = {
    "validation": [],
    "conformance": None,
    "additional fields": [],
    "additional checks": {},
    "closed codelists": {},
}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("ocds") / "public"
    return build(OCDS_SITE, out, OCDS_SITE_NOW)


@pytest.fixture(params=["sample", "fixture"])
def built(request, sample, fixture_site):
    return sample if request.param == "sample" else fixture_site


def merge_patch(target, patch):
    """JSON Merge Patch (RFC 7386): how an extension's release-schema.json
    changes the release schema."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def extended_release_schema():
    """The release schema 1.1.5 with the Location and Suitability patches."""
    schema = load(FIXTURES / "release-schema.json")
    for folder in ("location", "suitability"):
        schema = merge_patch(schema, load(EXTENSIONS / folder / "release-schema.json"))
    return schema


def merger():
    return ocdsmerge.Merger(schema=extended_release_schema())


# ---------------------------------------------------------------------------
# Review by libcoveocds
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ocds.json", "ocds-records.json"])
def test_data_review_finds_nothing(offline, built, name):
    report = review(built / "api" / name)
    assert report["file_type"] == "json"
    assert problems(report) == CLEAN
    assert report["unique_ocids_count"] == 4
    # Both extensions were read and applied: their fields are neither
    # additional fields nor left unchecked.
    extensions = report["extensions"]
    assert [e["url"] for e in extensions["extensions"]] == [LOCATION, SUITABILITY]
    assert [e["failed_codelists"] for e in extensions["extensions"]] == [{}, {}]
    assert extensions["invalid_extension"] == {}
    assert extensions["is_extended_schema"] is True


def test_language_variants_are_the_only_additional_fields(offline, fixture_site):
    fields = review(fixture_site / "api" / "ocds.json")["additional_fields"]
    assert {f["field"] for f in fields} == {"title_en", "description_en"}


def test_data_review_rejects_an_unregistered_prefix(offline, fixture_site, tmp_path):
    package = load(fixture_site / "api" / "ocds.json")
    for r in package["releases"]:
        r["ocid"] = r["ocid"].replace("ocds-tst001-", "ocds-utlys-example.se-")
    broken = tmp_path / "ocds.json"
    broken.write_text(json.dumps(package), encoding="utf-8")
    assert review(broken).get("conformance_errors"), "the bad prefix went unnoticed"


def test_data_review_checks_the_extensions_fields(offline, fixture_site, tmp_path):
    """A wrong value in a field of each extension is a validation error, so
    the review above really applies the extensions' schemas."""
    package = load(fixture_site / "api" / "ocds.json")
    first = release(package, "klimat-rfi-2023-2023-10-02-published")
    first["tender"]["suitability"]["sme"] = "ja"
    first["tender"]["deliveryLocations"][0]["gazetteer"]["identifiers"] = "SE224"
    broken = tmp_path / "ocds.json"
    broken.write_text(json.dumps(package), encoding="utf-8")
    report = review(broken)
    assert report["extensions"]["invalid_extension"] == {}
    at = f"releases/{package['releases'].index(first)}/tender"
    paths = {e["path"] for e in report["validation_errors"]}
    assert paths == {
        f"{at}/suitability/sme",
        f"{at}/deliveryLocations/0/gazetteer/identifiers",
    }, report["validation_errors"]


def test_without_the_extensions_their_fields_are_unknown(offline, fixture_site, tmp_path):
    """The same package without its `extensions`: the review then knows
    none of the fields, so the clean review depends on the extensions."""
    package = load(fixture_site / "api" / "ocds.json")
    del package["extensions"]
    bare = tmp_path / "ocds.json"
    bare.write_text(json.dumps(package), encoding="utf-8")
    additional = {f["field"] for f in review(bare)["additional_fields"]}
    assert {"deliveryLocations", "deliveryAddresses", "suitability"} <= additional


def test_data_review_rejects_a_release_without_date(offline, fixture_site, tmp_path):
    package = load(fixture_site / "api" / "ocds.json")
    del package["releases"][3]["date"]
    broken = tmp_path / "ocds.json"
    broken.write_text(json.dumps(package), encoding="utf-8")
    assert review(broken)["validation_errors"]


# ---------------------------------------------------------------------------
# History and records
# ---------------------------------------------------------------------------


def releases_by_ocid(package):
    by_ocid = {}
    for r in package["releases"]:
        by_ocid.setdefault(r["ocid"], []).append(r)
    return by_ocid


def test_release_ids_are_unique_and_dates_ordered(built):
    package = load(built / "api" / "ocds.json")
    ids = [r["id"] for r in package["releases"]]
    assert len(ids) == len(set(ids))
    for ocid, releases in releases_by_ocid(package).items():
        assert all(r["id"].startswith(ocid + "-") for r in releases)
        dates = [r["date"] for r in releases]
        assert dates == sorted(dates), ocid
        assert releases[0]["id"].endswith("-published"), ocid


def test_records_hold_every_release_of_their_process(built):
    package = load(built / "api" / "ocds.json")
    records = load(built / "api" / "ocds-records.json")
    assert records["packages"] == [package["uri"]]
    by_ocid = releases_by_ocid(package)
    assert [r["ocid"] for r in records["records"]] == list(by_ocid)
    for record in records["records"]:
        assert record["releases"] == by_ocid[record["ocid"]]


def compiled_by_ocdsmerge(record):
    return merger().create_compiled_release(copy.deepcopy(record["releases"]))


def test_compiled_release_is_what_ocdsmerge_compiles(built):
    records = load(built / "api" / "ocds-records.json")
    for record in records["records"]:
        assert record["compiledRelease"] == compiled_by_ocdsmerge(record), record["ocid"]


def test_ocdsmerge_notices_a_missing_release(fixture_site):
    records = load(fixture_site / "api" / "ocds-records.json")
    record = next(r for r in records["records"] if r["ocid"] == "ocds-tst001-klimat-rfi-2023")
    dropped = dict(record, releases=[r for r in record["releases"] if "-amendment-2" not in r["id"]])
    assert len(dropped["releases"]) == len(record["releases"]) - 1
    assert record["compiledRelease"] != compiled_by_ocdsmerge(dropped)


def test_ocdsmerge_notices_a_changed_compiled_field(fixture_site):
    records = load(fixture_site / "api" / "ocds-records.json")
    record = copy.deepcopy(records["records"][0])
    record["compiledRelease"]["tender"]["status"] = "unsuccessful"
    assert record["compiledRelease"] != compiled_by_ocdsmerge(record)


def release(package, suffix):
    matches = [r for r in package["releases"] if r["id"].endswith(suffix)]
    assert len(matches) == 1, suffix
    return matches[0]


def test_fixture_history(fixture_site):
    package = load(fixture_site / "api" / "ocds.json")
    ocid = "ocds-tst001-klimat-rfi-2023"
    kinds = [r["id"][len(ocid) + 12:] for r in releases_by_ocid(package)[ocid]]
    assert kinds == [
        "published", "answer-1", "event-1", "amendment-1", "answer-2", "amendment-2",
        "related-1", "closed",
    ]
    first = release(package, "klimat-rfi-2023-2023-10-02-published")
    assert first["tender"]["tenderPeriod"]["endDate"] == "2023-11-30T12:00:00+01:00"
    assert first["tender"]["enquiryPeriod"]["endDate"] == "2023-11-15T23:59:00+01:00"
    assert first["tender"]["title_en"] == "Climate-smart purchasing"
    moved = release(package, "-2023-11-10-amendment-2")
    assert moved["date"] == "2023-11-10T09:30:00+01:00"
    assert moved["tag"] == ["tenderAmendment"]
    assert moved["tender"]["tenderPeriod"] == {"endDate": "2024-01-31T12:00:00+01:00"}
    amendment = moved["tender"]["amendments"][0]
    assert amendment["releaseID"] == moved["id"]
    assert amendment["amendsReleaseID"].endswith("-2023-10-25-answer-2")
    answer = release(package, "klimat-rfi-2023-2023-10-25-answer-2")
    # Answered without an `answered` date: dated when it was asked.
    assert answer["tender"]["documents"][0]["documentType"] == "clarifications"
    closed = release(package, "klimat-rfi-2023-2024-01-31-closed")
    assert closed["tender"] == {"id": ocid, "status": "complete"}
    opened = release(package, "upphandling-klimat-2024-02-01-opened")
    assert opened["tender"]["status"] == "active"
    cancelled = release(package, "-stage-cancelled")
    assert cancelled["tag"] == ["tenderCancellation"]
    assert cancelled["date"] == "2023-09-20T00:00:00+02:00"


def test_fixture_compiled_release(fixture_site):
    records = load(fixture_site / "api" / "ocds-records.json")
    record = next(r for r in records["records"] if r["ocid"] == "ocds-tst001-klimat-rfi-2023")
    tender = record["compiledRelease"]["tender"]
    assert tender["status"] == "complete"
    assert tender["tenderPeriod"]["endDate"] == "2024-01-31T12:00:00+01:00"
    assert tender["enquiryPeriod"]["endDate"] == "2024-01-15T23:59:00+01:00"
    assert [a["id"] for a in tender["amendments"]] == ["amendment-1", "amendment-2"]
    docs = {d["id"]: d for d in tender["documents"]}
    assert set(docs) == {
        "notice", "notice-en", "document-1", "document-2", "clarification-1", "clarification-2",
    }
    assert docs["notice"]["dateModified"] == "2023-11-10T09:30:00+01:00"
    assert tender["milestones"][0]["status"] == "met"
    assert tender["hasEnquiries"] is True
    assert record["compiledRelease"]["tag"] == ["compiled"]


RFI_OCID = "ocds-tst001-klimat-rfi-2023"
PROCUREMENT_OCID = "ocds-tst001-challenges-upphandling-klimat"


def compiled(built, ocid):
    records = load(built / "api" / "ocds-records.json")
    return next(r for r in records["records"] if r["ocid"] == ocid)["compiledRelease"]


def test_the_procurement_follows_on_from_its_rfi(fixture_site):
    package = load(fixture_site / "api" / "ocds.json")
    ocids = {r["ocid"] for r in package["releases"]}
    first = release(package, "upphandling-klimat-2024-01-10-published")
    # The RFI was published first: related from the procurement's start.
    assert first["relatedProcesses"] == [{
        "id": "klimat-rfi-2023",
        "relationship": ["planning"],
        "title": "Klimatsmarta inköp",
        "scheme": "ocid",
        "identifier": RFI_OCID,
        "uri": "https://example.se/utmaningar/api/ocds-records.json",
    }]
    for process in compiled(fixture_site, PROCUREMENT_OCID)["relatedProcesses"]:
        assert process["identifier"] in ocids
    # The official notice is a notice of the same process.
    notice = next(d for d in first["tender"]["documents"] if d["id"] == "official-notice")
    assert notice == {
        "id": "official-notice",
        "documentType": "tenderNotice",
        "title": "TED 2024/S 012-034567",
        "url": "https://ted.europa.eu/sv/notice/-/detail/34567-2024",
    }


def test_the_rfi_learns_of_its_procurement_when_that_is_published(fixture_site):
    package = load(fixture_site / "api" / "ocds.json")
    first = release(package, "klimat-rfi-2023-2023-10-02-published")
    assert "relatedProcesses" not in first
    later = release(package, "klimat-rfi-2023-2024-01-10-related-1")
    assert later["date"] == "2024-01-10T00:00:00+01:00"
    assert later["tag"] == ["tenderUpdate"]
    # The codelist has no code for "a later process follows this one".
    assert later["relatedProcesses"] == [{
        "id": "challenges-upphandling-klimat",
        "title": "Upphandling av klimatdata",
        "scheme": "ocid",
        "identifier": PROCUREMENT_OCID,
        "uri": "https://example.se/utmaningar/api/ocds-records.json",
    }]
    assert compiled(fixture_site, RFI_OCID)["relatedProcesses"] == later["relatedProcesses"]


def broken_links(package):
    """Related processes that do not name a process of the package by its
    OCID and title (OCDS: the title should match the other's tender/title)."""
    titles = {}
    for r in package["releases"]:
        titles.setdefault(r["ocid"], r["tender"].get("title"))
    broken = []
    for r in package["releases"]:
        for p in r.get("relatedProcesses", []):
            if p.get("scheme") != "ocid" or titles.get(p.get("identifier")) != p.get("title"):
                broken.append((r["id"], p))
    return broken


def test_related_processes_name_processes_of_the_portal(built):
    package = load(built / "api" / "ocds.json")
    assert broken_links(package) == []


def test_a_broken_related_process_is_noticed(offline, fixture_site, tmp_path):
    package = load(fixture_site / "api" / "ocds.json")
    linked = [r for r in package["releases"] if "relatedProcesses" in r]
    assert len(linked) == 2
    linked[0]["relatedProcesses"][0]["identifier"] = "klimat-rfi-2023"
    assert len(broken_links(package)) == 1, "an identifier that is no OCID went unnoticed"
    linked[1]["relatedProcesses"][0]["uri"] = "not a uri"
    broken = tmp_path / "ocds.json"
    broken.write_text(json.dumps(package), encoding="utf-8")
    assert problems(review(broken))["validation"], "a related process's bad uri went unnoticed"


def test_open_data_lists_the_notice_and_the_related_challenges(fixture_site):
    data = load(fixture_site / "api" / "challenges.json")["challenges"]
    by_id = {(c["id"], c["lang"]): c for c in data}
    procurement = by_id[("challenges/upphandling-klimat", "sv")]
    assert procurement["notice"] == {
        "url": "https://ted.europa.eu/sv/notice/-/detail/34567-2024",
        "id": "2024/S 012-034567",
        "source": "TED",
    }
    assert procurement["related"] == [{
        "relation": "follows",
        "id": "challenges/klimat-rfi",
        "ocid": RFI_OCID,
        "url": "https://example.se/utmaningar/challenges/klimat-rfi/",
    }]
    rfi_en = by_id[("en/challenges/klimat-rfi", "en")]
    assert rfi_en["notice"] is None
    # The procurement has no English version: its Swedish page is linked.
    assert rfi_en["related"] == [{
        "relation": "followed-by",
        "id": "challenges/upphandling-klimat",
        "ocid": PROCUREMENT_OCID,
        "url": "https://example.se/utmaningar/challenges/upphandling-klimat/",
    }]


def test_no_prefix_no_ocds(tmp_path):
    site = tmp_path / "site"
    (site / "content" / "challenges").mkdir(parents=True)
    (site / "site.toml").write_text(
        'title = "T"\nbase_url = "https://example.se/"\n', encoding="utf-8"
    )
    (site / "content" / "challenges" / "a.md").write_text(
        "---\ntitle: A\nsummary: S\nbuyer: B\nstage: need\npublished: 2024-01-01\n---\n",
        encoding="utf-8",
    )
    out = build(site, tmp_path / "public", OCDS_SITE_NOW)
    assert not (out / "api" / "ocds.json").exists()
    assert not (out / "api" / "ocds-records.json").exists()
    assert load(out / "api" / "challenges.json")["challenges"][0]["ocid"] is None
    assert "api/ocds.json" not in (out / "index.html").read_text(encoding="utf-8")


def test_building_twice_gives_the_same_bytes(tmp_path, fixture_site):
    again = build(OCDS_SITE, tmp_path / "again", OCDS_SITE_NOW)
    for name in ("ocds.json", "ocds-records.json"):
        assert (again / "api" / name).read_bytes() == (fixture_site / "api" / name).read_bytes()


def test_the_estimated_value_is_the_tenders_value(sample):
    """`value` of challenges.json reaches tender.value (the upper estimate)
    and tender.minValue (the lower end of a range) of the compiled release."""
    data = load(sample / "api" / "challenges.json")
    records = {r["ocid"]: r["compiledRelease"] for r in load(sample / "api" / "ocds-records.json")["records"]}
    valued = 0
    for c in data["challenges"]:
        tender = records[c["ocid"]]["tender"]
        value = c["value"]
        if value is None or value["max"] is None:
            assert "value" not in tender
        else:
            assert tender["value"] == {"amount": value["max"], "currency": value["currency"]}
            valued += 1
        if value is not None and value["min"] is not None and value["min"] != value["max"]:
            assert tender["minValue"] == {"amount": value["min"], "currency": value["currency"]}
        else:
            assert "minValue" not in tender
    assert valued > 0, "the sample portal has no challenge with a value"


def test_a_document_added_later_is_a_release_of_its_own(sample):
    """The sample's RFI questions as a text file are dated 2023-07-03, after
    the challenge's publication on 2023-06-15: the publication release does
    not list them, a release dated that day does, with datePublished, and
    the compiled release keeps both documents."""
    package = load(sample / "api" / "ocds.json")
    releases = [r for r in package["releases"] if r["ocid"].endswith("klimatavtryck-offentlig-konsumtion")]
    published = next(r for r in releases if r["id"].endswith("-published"))
    titles = [d.get("title") for d in published["tender"].get("documents", [])]
    assert "RFI-frågorna som textfil" not in titles
    assert "Bakgrund om stadens klimatarbete" in titles
    added = [r for r in releases if r["id"].endswith("-2023-07-03-document-1")]
    assert len(added) == 1, [r["id"] for r in releases]
    assert added[0]["date"].startswith("2023-07-03")
    [doc] = added[0]["tender"]["documents"]
    assert doc["id"] == "document-1"
    assert doc["title"] == "RFI-frågorna som textfil"
    assert doc["datePublished"].startswith("2023-07-03")
    compiled = next(
        r["compiledRelease"] for r in load(sample / "api" / "ocds-records.json")["records"]
        if r["ocid"] == published["ocid"]
    )
    assert {"document-1", "document-2"} <= {d["id"] for d in compiled["tender"]["documents"]}


# ---------------------------------------------------------------------------
# Regions and who may respond (Location and Suitability extensions)
# ---------------------------------------------------------------------------


def test_regions_are_delivery_places(fixture_site):
    """A län and the whole country are NUTS locations; a kommun, which NUTS
    does not name, is an address with its län; all in the publication and
    the compiled release."""
    package = load(fixture_site / "api" / "ocds.json")
    assert package["extensions"] == [LOCATION, SUITABILITY]
    rfi = release(package, "klimat-rfi-2023-2023-10-02-published")["tender"]
    assert rfi["deliveryLocations"] == [{
        "description": "Skåne län",
        "gazetteer": {"scheme": "NUTS", "identifiers": ["SE224"]},
    }]
    assert rfi["deliveryAddresses"] == [{
        "locality": "Helsingborg", "region": "Skåne län", "countryName": "Sverige",
    }]
    procurement = release(package, "upphandling-klimat-2024-01-10-published")["tender"]
    assert procurement["deliveryLocations"] == [{
        "description": "Hela Sverige",
        "gazetteer": {"scheme": "NUTS", "identifiers": ["SE"]},
    }]
    assert "deliveryAddresses" not in procurement
    # Only the publication carries them.
    carrying = [r["id"] for r in package["releases"]
                if {"deliveryLocations", "deliveryAddresses"} & set(r["tender"])]
    assert len(carrying) == 2, carrying
    assert compiled(fixture_site, RFI_OCID)["tender"]["deliveryAddresses"] == rfi["deliveryAddresses"]
    assert compiled(fixture_site, PROCUREMENT_OCID)["tender"]["deliveryLocations"] == \
        procurement["deliveryLocations"]


def tenders(built):
    """Each Swedish challenge with an OCID in challenges.json, with the
    tender of its compiled release."""
    data = load(built / "api" / "challenges.json")["challenges"]
    records = {r["ocid"]: r["compiledRelease"] for r in load(built / "api" / "ocds-records.json")["records"]}
    for c in data:
        if c["ocid"] is not None and c["lang"] == "sv":
            yield c, records[c["ocid"]]["tender"]


def test_places_match_the_regions_of_challenges_json(built):
    """Every written region reaches OCDS: each län and the whole country
    by its NUTS code, each kommun by name with its län."""
    seen = 0
    for c, tender in tenders(built):
        nuts = [(r["name"], r["nuts"]) for r in c["regions"] if r["kind"] != "municipality"]
        kommuner = [(r["name"], r["county"]) for r in c["regions"] if r["kind"] == "municipality"]
        locations = [(loc["description"], *loc["gazetteer"]["identifiers"])
                     for loc in tender.get("deliveryLocations", [])]
        addresses = [(a["locality"], a["region"]) for a in tender.get("deliveryAddresses", [])]
        assert locations == nuts, c["id"]
        assert addresses == kommuner, c["id"]
        assert all(loc["gazetteer"]["scheme"] == "NUTS" for loc in tender.get("deliveryLocations", []))
        seen += len(nuts) + len(kommuner)
    assert seen >= 3


def test_suitable_for_sme_is_the_suitability(built):
    """`sme` in suitable_for is tender.suitability.sme; without it (another
    list, or none) there is no suitability, never `sme: false`."""
    with_sme = 0
    for c, tender in tenders(built):
        if "sme" in c["suitable_for"]:
            assert tender["suitability"] == {"sme": True}, c["id"]
            with_sme += 1
        else:
            assert "suitability" not in tender, c["id"]
    assert with_sme > 0


def test_a_site_without_regions_declares_no_extension(site):
    out = site({
        "content/challenges/a.md": (
            "---\ntitle: A\nsummary: S\nbuyer: B\nstage: rfi\n"
            "published: 2023-06-15\ndeadline: 2023-09-15\n---\n"
        ),
    })
    for name in ("ocds.json", "ocds-records.json"):
        package = load(out / "api" / name)
        assert "extensions" not in package, name
