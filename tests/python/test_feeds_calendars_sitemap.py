"""The Atom feed, the iCalendar files, sitemap.xml and robots.txt, read back
by parsers nobody here wrote: feedparser, icalendar and xml.etree."""

import datetime
import re
import urllib.parse
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import pytest

from conftest import AMENDED_NOW, ROOT, SAMPLE_NOW, build

BASE = "https://utmaningar.example.se/"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
UTC = datetime.timezone.utc
KLIMAT = "challenges/klimatavtryck-offentlig-konsumtion/"
MATSVINN = "challenges/minskat-matsvinn-i-skolkoket/"


def output_file(public, url, base=BASE):
    """The file in `public` that absolute `url` under `base` is served from."""
    assert url.startswith(base), f"{url} is not under {base}"
    path = urllib.parse.urldefrag(url)[0][len(base):]
    path = urllib.parse.unquote(path)
    if path == "" or path.endswith("/"):
        path += "index.html"
    return public / path


def ics_files(public):
    return sorted(public.rglob("*.ics"))


def events_by_uid(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def read_calendar(path):
    return icalendar.Calendar.from_ical(path.read_bytes())


def challenge_pages(public, prefix=""):
    """URL folders of the challenge pages in the output (not the list)."""
    return sorted(
        p.parent.relative_to(public).as_posix() + "/"
        for p in (public / prefix / "challenges").glob("*/index.html")
    )


# --- Atom -------------------------------------------------------------------


@pytest.fixture(scope="module")
def feed(sample):
    return feedparser.parse((sample / "atom.xml").read_bytes())


@pytest.fixture(scope="module")
def amended_feed(amended_sample):
    """The feed at a clock after every amendment of the sample."""
    return feedparser.parse((amended_sample / "atom.xml").read_bytes())


def test_feed_is_well_formed_atom(feed):
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == BASE
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == BASE + "atom.xml"
    assert links["alternate"] == BASE


def test_feed_has_one_entry_per_dated_step_of_each_challenge(amended_sample, amended_feed):
    sample, feed = amended_sample, amended_feed
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    challenges = [i for i in ids if "#" not in i]
    steps = [i for i in ids if "#" in i]
    assert sorted(challenges) == [BASE + p for p in challenge_pages(sample)]
    # Every other id is its challenge's permalink plus the step: an
    # amendment, an answer, a dated document, a meeting, the stage reached.
    for i in steps:
        page, _, anchor = i.partition("#")
        assert page in challenges
        assert re.fullmatch(r"(andring|fraga|dokument|mote)-[1-9][0-9]*|skede-[a-z]+", anchor), i
    # The two amendments in the sample content, and the answered questions.
    assert BASE + MATSVINN + "#andring-1" in steps
    assert BASE + KLIMAT + "#andring-1" in steps
    assert BASE + KLIMAT + "#fraga-1" in steps
    assert BASE + KLIMAT + "#dokument-1" in steps
    assert BASE + KLIMAT + "#mote-1" in steps


def test_feed_holds_back_an_amendment_dated_later(feed):
    ids = [e.id for e in feed.entries]
    # At SAMPLE_NOW Exempelvik's amendment (2026-12-10) is not out yet.
    assert BASE + MATSVINN in ids
    assert BASE + MATSVINN + "#andring-1" not in ids
    assert BASE + KLIMAT + "#andring-1" in ids


def test_feed_is_newest_first_and_dated_by_its_newest_entry(feed):
    dates = [e.updated_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    # Not the build clock: the newest entry, so rebuilds are identical.
    assert feed.feed.updated_parsed == dates[0]


def test_feed_links_are_absolute_and_exist(sample, feed):
    hrefs = [link.href for link in feed.feed.links]
    for e in feed.entries:
        hrefs += [link.href for link in e.links]
    for href in hrefs:
        assert href.startswith(BASE), href
        assert output_file(sample, href).is_file(), href


def test_feed_entries_carry_title_author_and_the_deadline_move(amended_feed):
    feed = amended_feed
    entries = {e.id: e for e in feed.entries}
    klimat = entries[BASE + KLIMAT]
    assert klimat.title == "Halvera klimatavtrycket från stadens inköp"
    assert klimat.author == "Helsingborgs stad"
    assert klimat.summary.startswith("Helsingborgs stad söker idéer")
    assert klimat.link == BASE + KLIMAT

    moved = entries[BASE + MATSVINN + "#andring-1"]
    assert moved.title == "Ändring: Mindre matsvinn i skolköken"
    assert moved.author == "Exempelviks kommun"
    html = moved.content[0].value
    assert "fler kök hinner bidra" in html
    assert (
        "Sista svarsdag flyttad från fredag 26 februari 2027 kl. 12.00 CET "
        "till måndag 15 mars 2027 kl. 12.00 CET" in html
    )
    assert moved.updated_parsed[:6] == (2026, 12, 9, 23, 0, 0)


def test_feed_does_not_depend_on_the_clock(amended_sample, tmp_path):
    # Both clocks are after every amendment, so both builds show the same.
    later = build(ROOT, tmp_path / "later", "2030-01-01T12:00:00+01:00")
    assert (later / "atom.xml").read_bytes() == (amended_sample / "atom.xml").read_bytes()


# --- iCalendar --------------------------------------------------------------


def test_every_calendar_parses_and_obeys_the_line_rules(sample):
    files = ics_files(sample)
    # One for the site and one beside each challenge page.
    expected = {sample / "calendar.ics"}
    expected |= {sample / p / "calendar.ics" for p in challenge_pages(sample)}
    assert expected <= set(files)
    for path in files:
        raw = path.read_bytes()
        assert raw.endswith(b"\r\n"), path
        lines = raw.split(b"\r\n")[:-1]
        for line in lines:
            assert b"\n" not in line and b"\r" not in line, (path, line)
            assert len(line) <= 75, (path, line, len(line))
            # Folding never splits a UTF-8 character.
            line.decode("utf-8")
        cal = read_calendar(path)
        assert str(cal["VERSION"]) == "2.0"
        assert str(cal["PRODID"]) == "-//Utlys//Utlys//SV"
        assert str(cal["CALSCALE"]) == "GREGORIAN"
        assert str(cal["METHOD"]) == "PUBLISH"
        assert str(cal["X-WR-CALNAME"])
        uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
        assert len(uids) == len(set(uids)), path
        for e in cal.walk("VEVENT"):
            assert e["DTSTAMP"].dt == datetime.datetime(2023, 8, 25, 8, 0, tzinfo=UTC)
            assert e["DTSTART"].dt.tzinfo is not None
            assert str(e["SUMMARY"])
            assert BASE in str(e["DESCRIPTION"])


def test_the_helsingborg_deadline_is_exact(sample):
    cal = read_calendar(sample / KLIMAT / "calendar.ics")
    events = events_by_uid(cal)
    deadline = events[f"{KLIMAT}deadline@utmaningar.example.se"]
    # 2023-08-31 23:59 in Stockholm (CEST) is 21:59 UTC.
    assert deadline["DTSTART"].dt == datetime.datetime(2023, 8, 31, 21, 59, tzinfo=UTC)
    # A deadline is an instant: no DTEND, so it ends where it starts.
    assert "DTEND" not in deadline
    assert str(deadline["TRANSP"]) == "TRANSPARENT"
    assert str(deadline["SUMMARY"]) == "Sista svarsdag: Halvera klimatavtrycket från stadens inköp"
    assert str(deadline["URL"]) == BASE + KLIMAT
    assert "torsdag 31 augusti 2023 kl. 23.59 CEST" in str(deadline["DESCRIPTION"])
    # Its amendment did not move the deadline.
    assert int(deadline["SEQUENCE"]) == 0

    questions = events[f"{KLIMAT}questions-deadline@utmaningar.example.se"]
    assert questions["DTSTART"].dt == datetime.datetime(2023, 8, 15, 21, 59, tzinfo=UTC)
    assert str(questions["SUMMARY"]).startswith("Sista dag för frågor: ")

    meeting = events[f"{KLIMAT}event-1@utmaningar.example.se"]
    assert meeting["DTSTART"].dt == datetime.datetime(2023, 8, 10, 11, 0, tzinfo=UTC)
    assert meeting["DTEND"].dt == datetime.datetime(2023, 8, 10, 12, 0, tzinfo=UTC)
    assert str(meeting["LOCATION"]) == "Digitalt möte"
    assert int(meeting["SEQUENCE"]) == 0


def test_an_amended_deadline_bumps_sequence(amended_sample):
    events = events_by_uid(read_calendar(amended_sample / MATSVINN / "calendar.ics"))
    deadline = events[f"{MATSVINN}deadline@utmaningar.example.se"]
    # Moved once, from 26 February to 15 March 2027 at 12.00 CET.
    assert int(deadline["SEQUENCE"]) == 1
    assert deadline["DTSTART"].dt == datetime.datetime(2027, 3, 15, 11, 0, tzinfo=UTC)
    questions = events[f"{MATSVINN}questions-deadline@utmaningar.example.se"]
    assert int(questions["SEQUENCE"]) == 1
    assert questions["DTSTART"].dt == datetime.datetime(2027, 3, 1, 22, 59, tzinfo=UTC)


def test_an_amendment_dated_later_does_not_move_the_deadline_yet(sample):
    events = events_by_uid(read_calendar(sample / MATSVINN / "calendar.ics"))
    deadline = events[f"{MATSVINN}deadline@utmaningar.example.se"]
    # At SAMPLE_NOW the amendment of 2026-12-10 is held back.
    assert int(deadline["SEQUENCE"]) == 0
    assert deadline["DTSTART"].dt == datetime.datetime(2027, 2, 26, 11, 0, tzinfo=UTC)


def test_the_site_calendar_repeats_each_challenge_entry_exactly(sample):
    site = events_by_uid(read_calendar(sample / "calendar.ics"))
    seen = set()
    for page in challenge_pages(sample):
        own = events_by_uid(read_calendar(sample / page / "calendar.ics"))
        for uid, event in own.items():
            assert uid.startswith(page), uid
            assert site[uid].to_ical() == event.to_ical()
        seen |= set(own)
    assert seen == set(site)


def test_uids_are_stable_across_builds(sample, tmp_path):
    again = build(ROOT, tmp_path / "again", "2024-01-01T09:00:00+01:00")
    for path in ics_files(sample):
        other = again / path.relative_to(sample)
        before = [str(e["UID"]) for e in read_calendar(path).walk("VEVENT")]
        after = [str(e["UID"]) for e in read_calendar(other).walk("VEVENT")]
        assert before == after, path
        # Only the stamp follows the clock.
        strip = lambda b: re.sub(rb"DTSTAMP:[0-9TZ]+", b"", b)  # noqa: E731
        assert strip(path.read_bytes()) == strip(other.read_bytes()), path


def test_same_clock_gives_the_same_bytes(sample, tmp_path):
    again = build(ROOT, tmp_path / "same", SAMPLE_NOW)
    for name in ["atom.xml", "calendar.ics", "sitemap.xml", "robots.txt", MATSVINN + "calendar.ics"]:
        assert (again / name).read_bytes() == (sample / name).read_bytes(), name


# --- sitemap.xml and robots.txt ---------------------------------------------


def sitemap_entries(public):
    root = ET.parse(public / "sitemap.xml").getroot()
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    entries = {}
    for url in root.findall(f"{{{SITEMAP_NS}}}url"):
        loc = url.find(f"{{{SITEMAP_NS}}}loc").text
        lastmod = url.find(f"{{{SITEMAP_NS}}}lastmod")
        assert loc not in entries, f"{loc} is listed twice"
        entries[loc] = None if lastmod is None else lastmod.text
    return entries


def test_sitemap_lists_every_page_and_only_pages(sample):
    entries = sitemap_entries(sample)
    for loc in entries:
        assert output_file(sample, loc).is_file(), loc
    noindex = '<meta name="robots" content="noindex">'
    pages, hidden = set(), set()
    for p in sample.rglob("index.html"):
        loc = BASE + p.parent.relative_to(sample).as_posix() + "/"
        loc = loc.replace(BASE + "./", BASE)
        # A page that asks search engines not to index it is not listed.
        (hidden if noindex in p.read_text(encoding="utf-8") else pages).add(loc)
    assert set(entries) == pages
    assert hidden == {BASE + "embed/", BASE + "en/embed/"}
    assert BASE in entries and BASE + "challenges/" in entries
    assert BASE + "tags/klimat/" in entries and BASE + "stages/rfi/" in entries
    assert not any("404" in loc for loc in entries)


def test_sitemap_lastmod_follows_content_not_the_clock(amended_sample):
    entries = sitemap_entries(amended_sample)
    # The newest amendment of the challenge, not its publication.
    assert entries[BASE + MATSVINN] == "2026-12-10T00:00:00+01:00"
    assert entries[BASE + KLIMAT] == "2023-07-03T00:00:00+02:00"
    clock = datetime.datetime.fromisoformat(AMENDED_NOW)
    for loc, lastmod in entries.items():
        if lastmod is not None:
            assert datetime.datetime.fromisoformat(lastmod) != clock, loc


def test_robots_txt_names_the_sitemap(sample):
    lines = (sample / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert f"Sitemap: {BASE}sitemap.xml" in lines
    assert output_file(sample, BASE + "sitemap.xml").is_file()


# --- escaping -----------------------------------------------------------------

# A title is one line; line breaks reach the calendar through a meeting's
# Markdown description instead.
NASTY_TITLE = 'Citat "x" <b>fet</b> </script><script>alert(1)</script>; semi, komma'
NASTY_DESCRIPTION = "Dagordning; punkt 1, punkt 2\nandra raden"

NASTY_BUYER = 'Kommun "A" & <B>; C, D'
NASTY_PLACE = 'Rum 1; plan 2, "hus" <C> \\ snedstreck'
# `&`, `;` and `,` are allowed in a base URL's path and must be escaped in XML.
NASTY_BASE = "https://example.se/r&d;x,y/"


def toml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.fixture
def nasty(site):
    page = f"""+++
title = {toml_string(NASTY_TITLE)}
summary = "Sammanfattning med <tag> & \\"citat\\"; och, komma"
buyer = {toml_string(NASTY_BUYER)}
stage = "rfi"
published = "2023-06-01"
deadline = "2023-08-31"
tags = ["a;b", "c,d"]

[[updates]]
date = "2023-07-01"
text = "Ny text med <em>betoning</em> och \\"citat\\"; semi, komma"
deadline = "2023-09-15"

[[events]]
title = "Möte; \\"A\\", <B>"
start = "2023-08-10T13:00"
end = "2023-08-10T14:00"
place = {toml_string(NASTY_PLACE)}
description = {toml_string(NASTY_DESCRIPTION)}
+++
Text.
"""
    return site({"content/challenges/nasty.md": page}, base_url=NASTY_BASE)


def test_feed_escapes_markup_and_separators(nasty):
    raw = (nasty / "atom.xml").read_bytes()
    assert b"</script>" not in raw
    feed = feedparser.parse(raw)
    assert feed.bozo == 0, feed.get("bozo_exception")
    titles = sorted(e.title for e in feed.entries)
    # The challenge, its amendment and its meeting.
    assert titles == sorted([NASTY_TITLE, "Ändring: " + NASTY_TITLE, "Möte: " + NASTY_TITLE])
    assert {e.author for e in feed.entries} == {NASTY_BUYER}
    assert feed.feed.id == NASTY_BASE
    for e in feed.entries:
        assert urllib.parse.urldefrag(e.link)[0] == NASTY_BASE + "challenges/nasty/"
        assert output_file(nasty, e.link, NASTY_BASE).is_file()


def test_calendar_escapes_text_values(nasty):
    for path in [nasty / "calendar.ics", nasty / "challenges/nasty/calendar.ics"]:
        raw = path.read_bytes()
        for line in raw.split(b"\r\n")[:-1]:
            assert len(line) <= 75
        events = events_by_uid(read_calendar(path))
        deadline = events["r&d;x,y/challenges/nasty/deadline@example.se"]
        assert str(deadline["SUMMARY"]) == "Sista svarsdag: " + NASTY_TITLE
        assert int(deadline["SEQUENCE"]) == 1
        assert NASTY_BUYER in str(deadline["DESCRIPTION"])
        meeting = events["r&d;x,y/challenges/nasty/event-1@example.se"]
        assert str(meeting["LOCATION"]) == NASTY_PLACE
        assert str(meeting["SUMMARY"]).startswith('Möte; "A", <B> (')
        # The raw file has the TEXT escapes, and no bare newline in a value.
        unfolded = raw.replace(b"\r\n ", b"")
        assert b"semi\\, komma" in unfolded
        assert b"Dagordning\\; punkt 1\\, punkt 2\\nandra raden" in unfolded
        assert b"Rum 1\\; plan 2\\, " in unfolded
        assert b"\\\\ snedstreck" in unfolded


def test_sitemap_escapes_urls(nasty):
    raw = (nasty / "sitemap.xml").read_bytes()
    assert b"r&amp;d;x,y/" in raw and b"r&d" not in raw
    entries = sitemap_entries(nasty)
    assert NASTY_BASE + "challenges/nasty/" in entries
    for loc in entries:
        assert output_file(nasty, loc, NASTY_BASE).is_file(), loc
    # Term slugs are made of letters and digits only.
    assert NASTY_BASE + "tags/a-b/" in entries
    robots = (nasty / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {NASTY_BASE}sitemap.xml\n" in robots
