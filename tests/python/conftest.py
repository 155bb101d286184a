"""Shared fixtures: build sites with the real `utlys` binary into temp dirs."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("UTLYS_BIN", ROOT / "target" / "debug" / "utlys"))
# The clock of the sample build: the Helsingborg RFI is open, closing soon.
SAMPLE_NOW = "2023-08-25T10:00:00+02:00"
# A clock after the sample's newest amendment (Exempelvik's, dated
# 2026-12-10): a build at an earlier clock, such as SAMPLE_NOW, holds that
# amendment back, so the tests of what it changes build at this one.
AMENDED_NOW = "2026-12-11T10:00:00+01:00"
# The OCID prefix of the small test sites: made up, not a registered one.
OCID_PREFIX = "ocds-test00"


def build(root, out, now=SAMPLE_NOW, *extra):
    """Builds the site at `root` into `out`; fails the test on a build error."""
    # Test sites live at the example address `utlys init` writes.
    cmd = [str(BIN), "build", "--root", str(root), "--output", str(out), "--now", now,
           "--allow-example-url", *extra]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, f"build failed:\n{result.stderr}"
    return pathlib.Path(out)


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    """The bundled sample portal, built once per test session."""
    out = tmp_path_factory.mktemp("sample") / "public"
    return build(ROOT, out)


@pytest.fixture(scope="session")
def amended_sample(tmp_path_factory):
    """The bundled sample portal built at AMENDED_NOW, once per session."""
    out = tmp_path_factory.mktemp("amended") / "public"
    return build(ROOT, out, AMENDED_NOW)


@pytest.fixture
def site(tmp_path):
    """A factory for small fixture sites: site(files) -> built output folder."""

    def make(files, now=SAMPLE_NOW, base_url="https://example.se/utmaningar/"):
        root = tmp_path / "site"
        (root / "content").mkdir(parents=True, exist_ok=True)
        (root / "site.toml").write_text(
            f'title = "Testportal"\nbase_url = "{base_url}"\nocid_prefix = "{OCID_PREFIX}"\n',
            encoding="utf-8",
        )
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return build(root, tmp_path / "public", now)

    return make
