"""The feed of each challenge and of each term, and the links that follow
them, read back with feedparser and Python's HTML parser."""

import html.parser
import re
import urllib.parse

import feedparser
import pytest

from conftest import AMENDED_NOW, ROOT, build

BASE = "https://utmaningar.example.se/"
KLIMAT = "challenges/klimatavtryck-offentlig-konsumtion/"
KARLSTAD = "challenges/upplev-min-verklighet/"
ATOM = "application/atom+xml"


def parse(path):
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, (path, feed.get("bozo_exception"))
    assert feed.version == "atom10", path
    return feed


class Links(html.parser.HTMLParser):
    """Every <link> and <a> of a page, as attribute dicts with their text."""

    def __init__(self):
        super().__init__()
        self.head, self.anchors, self._open = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.head.append(attrs)
        elif tag == "a":
            self._open = dict(attrs, text="")
            self.anchors.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def links(page):
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def feed_files(public):
    """Every feed but the site-wide ones."""
    return sorted(p for p in public.rglob("atom.xml") if p.parent not in (public, public / "en"))


@pytest.fixture(scope="module")
def amended(amended_sample):
    return amended_sample


def test_every_challenge_and_term_feed_is_valid_atom(amended):
    files = feed_files(amended)
    challenges = [p for p in files if "/challenges/" in p.as_posix()]
    terms = [p for p in files if p not in challenges]
    # One per challenge page (the English translations have their own).
    pages = sorted(amended.glob("challenges/*/index.html")) + sorted(
        amended.glob("en/challenges/*/index.html")
    )
    assert len(challenges) == len(pages)
    # Terms of every taxonomy but the status, in both languages.
    kinds = {p.relative_to(amended).parts[-3] for p in terms}
    assert kinds == {"tags", "categories", "buyers", "stages", "regions", "suitable-for", "value", "cpv"}
    assert not list(amended.glob("status/*/atom.xml"))
    for path in files:
        feed = parse(path)
        links = {link.rel: link.href for link in feed.feed.links}
        rel = path.relative_to(amended).as_posix()
        assert links["self"] == BASE + rel
        assert feed.feed.id == BASE + rel
        assert links["alternate"] == BASE + rel[: -len("atom.xml")]
        assert (amended / rel[: -len("atom.xml")] / "index.html").is_file(), rel
        ids = [e.id for e in feed.entries]
        assert ids and len(ids) == len(set(ids)), rel
        dates = [e.updated_parsed for e in feed.entries]
        assert dates == sorted(dates, reverse=True), rel
        assert feed.feed.updated_parsed == dates[0], rel


def test_a_challenge_feed_tells_every_kind_of_step(amended):
    feed = parse(amended / KLIMAT / "atom.xml")
    assert feed.feed.title == "Halvera klimatavtrycket från stadens inköp – Innovationsutmaningar"
    entries = {e.id: e for e in feed.entries}
    # Publication, the amendment, both answers, the dated document, the meeting.
    assert set(entries) == {
        BASE + KLIMAT,
        BASE + KLIMAT + "#andring-1",
        BASE + KLIMAT + "#fraga-1",
        BASE + KLIMAT + "#fraga-2",
        BASE + KLIMAT + "#dokument-1",
        BASE + KLIMAT + "#mote-1",
    }
    answer = entries[BASE + KLIMAT + "#fraga-2"]
    assert answer.title == "Svar på en fråga: Halvera klimatavtrycket från stadens inköp"
    assert answer.updated_parsed[:3] == (2023, 7, 5)  # 2023-07-06 00:00 CEST
    assert "Kan vi svara på engelska?" in answer.content[0].value
    assert "Ja, svar på engelska går bra." in answer.content[0].value
    assert answer.link == BASE + KLIMAT + "#fraga-2"
    document = entries[BASE + KLIMAT + "#dokument-1"]
    assert document.title.startswith("Nytt dokument: ")
    related = [link.href for link in document.links if link.rel == "related"]
    assert related == [BASE + KLIMAT + "rfi-fragor.txt"]
    assert (amended / KLIMAT / "rfi-fragor.txt").is_file()
    # A meeting is dated by the publication: the content does not say when
    # it was added.
    meeting = entries[BASE + KLIMAT + "#mote-1"]
    assert meeting.updated_parsed == entries[BASE + KLIMAT].updated_parsed
    assert "torsdag 10 augusti 2023 kl. 13.00 CEST" in meeting.content[0].value


def test_a_finished_challenge_feed_ends_with_its_stage_and_outcome(amended):
    feed = parse(amended / KARLSTAD / "atom.xml")
    newest = feed.entries[0]
    assert newest.id == BASE + KARLSTAD + "#skede-implementation"
    assert newest.title.startswith("Nytt skede: ")
    assert "Implementering" in newest.content[0].value
    # Dated by the step before it, never by the build clock.
    assert newest.updated_parsed == feed.entries[1].updated_parsed


def test_english_feeds_speak_english(amended):
    feed = parse(amended / "en" / KLIMAT / "atom.xml")
    assert feed.feed.language == "en"
    titles = [e.title for e in feed.entries]
    assert any(t.startswith("Answer to a question: ") for t in titles), titles
    assert any(t.startswith("Amendment: ") for t in titles), titles


def test_a_term_feed_holds_the_steps_of_its_challenges_with_swedish_letters(amended):
    feed = parse(amended / "buyers" / "helsingborgs-stad" / "atom.xml")
    assert feed.feed.title == "Beställare: Helsingborgs stad – Innovationsutmaningar"
    own = {e.id for e in parse(amended / KLIMAT / "atom.xml").entries}
    assert own <= {e.id for e in feed.entries}
    assert all(e.author == "Helsingborgs stad" for e in feed.entries)
    raw = (amended / "buyers" / "helsingborgs-stad" / "atom.xml").read_text(encoding="utf-8")
    assert "från stadens inköp" in raw and "&#" not in raw


def test_the_site_feed_carries_answers(amended):
    ids = {e.id for e in parse(amended / "atom.xml").entries}
    assert BASE + KLIMAT + "#fraga-1" in ids


def test_pages_link_their_own_feed(amended):
    for page, feed, label in [
        (KLIMAT, KLIMAT + "atom.xml", "Följ den här utmaningen (Atom)"),
        ("tags/klimat/", "tags/klimat/atom.xml", "Följ klimat (Atom)"),
        ("en/" + KLIMAT, "en/" + KLIMAT + "atom.xml", "Follow this challenge (Atom)"),
    ]:
        found = links(amended / page / "index.html")
        alternates = [
            link["href"] for link in found.head if link.get("rel") == "alternate" and link.get("type") == ATOM
        ]
        assert "/" + feed in alternates, (page, alternates)
        visible = [a for a in found.anchors if a.get("href") == "/" + feed]
        assert [a["text"] for a in visible] == [label], page
        assert (amended / feed).is_file()
        # No e-mail link on a site without `follow_email_url`.
        assert not [a for a in found.anchors if "e-post" in a["text"] or "e-mail" in a["text"]]
    # The status pages have no feed (see docs/outputs.md).
    status = links(amended / "status" / "closed" / "index.html")
    assert not [a for a in status.anchors if a.get("href", "").endswith("/atom.xml") and a["href"] != "/atom.xml"]


def test_follow_by_email_links_every_feed(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    for part in ("content",):
        import shutil

        shutil.copytree(ROOT / part, root / part)
    template = "https://nyhetsbrev.example.se/prenumerera?lista=7&rss={feed}"
    text = (ROOT / "site.toml").read_text(encoding="utf-8")
    text = text.replace("[markdown]", f'follow_email_url = "{template}"\n\n[markdown]')
    (root / "site.toml").write_text(text, encoding="utf-8")
    public = build(root, tmp_path / "public", AMENDED_NOW)

    def email_links(page):
        return [a for a in links(public / page).anchors if a["text"] == "Följ via e-post"]

    for page, feed in [
        (KLIMAT + "index.html", KLIMAT + "atom.xml"),
        ("tags/klimat/index.html", "tags/klimat/atom.xml"),
        ("index.html", "atom.xml"),
    ]:
        found = email_links(page)
        hrefs = {a["href"] for a in found}
        # The feed's own link in the page, and the site feed's in the footer.
        wanted = "https://nyhetsbrev.example.se/prenumerera?lista=7&rss=" + urllib.parse.quote(
            BASE + feed, safe=""
        )
        assert wanted in hrefs, (page, hrefs)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(wanted).query)
        assert query == {"lista": ["7"], "rss": [BASE + feed]}
    english = [a for a in links(public / "en" / KLIMAT / "index.html").anchors if a["text"] == "Follow by e-mail"]
    assert len(english) == 2


def test_a_follow_email_url_without_the_feed_is_refused(tmp_path):
    import subprocess

    from conftest import BIN

    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(
        'title = "T"\nbase_url = "https://example.se/"\n'
        'follow_email_url = "https://nyhetsbrev.example.se/prenumerera"\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(BIN), "build", "--lang", "en", "--root", str(root), "--output", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "has no {feed}" in result.stderr
    assert re.search(r'follow_email_url = "https://nyhetsbrev\.example\.se/prenumerera\?feed=\{feed\}"', result.stderr)
