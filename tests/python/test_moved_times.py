"""A deadline edited between two builds into the same output: the calendar
event keeps its UID and raises SEQUENCE, and the feed tells the new time."""

import datetime

import feedparser
import icalendar

from conftest import build

PAGE = """---
title: Klimat
summary: En kort sammanfattning.
buyer: Exempelstad
stage: rfi
published: 2023-06-15
deadline: {deadline}
---
"""


def deadline_event(public):
    cal = icalendar.Calendar.from_ical((public / "challenges/klimat/calendar.ics").read_bytes())
    (event,) = [e for e in cal.walk("VEVENT") if "deadline@" in str(e["UID"])]
    return event


def test_an_edited_deadline_raises_the_sequence_and_updates_the_feed(tmp_path):
    root = tmp_path / "site"
    page = root / "content/challenges/klimat.md"
    page.parent.mkdir(parents=True)
    (root / "site.toml").write_text('title = "T"\nbase_url = "https://example.se/"\n')
    page.write_text(PAGE.format(deadline="2023-08-31"), encoding="utf-8")
    out = tmp_path / "out/public"
    build(root, out, "2023-08-20T10:00:00+02:00")
    first = deadline_event(out)
    assert int(first["SEQUENCE"]) == 0

    page.write_text(PAGE.format(deadline="2023-09-15"), encoding="utf-8")
    build(root, out, "2023-08-21T10:00:00+02:00")
    second = deadline_event(out)
    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == 1
    assert second["DTSTART"].dt == datetime.datetime(2023, 9, 15, 21, 59, tzinfo=datetime.timezone.utc)

    feed = feedparser.parse((out / "atom.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    (entry,) = feed.entries
    assert entry.updated_parsed[:5] == (2023, 8, 21, 8, 0)
    assert "fredag 15 september 2023 kl. 23.59 CEST" in entry.content[0].value
