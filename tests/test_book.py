"""The website: every chapter executes, the build fails on a cell error, math is served locally."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grading.course import REPO

pytestmark = [pytest.mark.book, pytest.mark.slow]

BOOK = REPO / "book"
JB = Path(sys.executable).with_name("jupyter-book")


def toc_files() -> list[str]:
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part["chapters"]]
    return files


def build(source: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(JB), "build", "--all", "-W", "-n", "--keep-going",
                           "--path-output", str(out), str(source)],
                          capture_output=True, text=True, timeout=1500)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """Build the whole book once per test session, exactly as `make book` does, into a temporary
    folder (session scope: a module-scoped fixture is rebuilt when an xdist worker interleaves
    this module's tests with another's)."""
    out = tmp_path_factory.mktemp("site")
    proc = build(BOOK, out)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return out / "_build" / "html"


def test_every_toc_file_exists():
    for name in toc_files():
        assert (BOOK / f"{name}.md").exists() or (BOOK / f"{name}.ipynb").exists(), name


def test_chapters_are_executed_with_figures_and_no_errors(site: Path):
    chapters = [f for f in toc_files() if f.startswith("chapters/")]
    assert chapters, "the book has no chapters"
    for name in chapters:
        html = (site / f"{name}.html").read_text()
        assert "cell_output" in html, f"{name}: no executed output on the page"
        assert re.search(r'<img [^>]*src="\.\./_images/[^"]+\.png"', html), f"{name}: no figure"
        for bad in ("Traceback (most recent call last)", 'class="output stderr"', "CellTimeoutError"):
            assert bad not in html, f"{name}: {bad!r} on the page"


def test_nnlib_and_keras_agree_on_the_chapter1_page(site: Path):
    html = (site / "chapters" / "ch01_neurons.html").read_text()
    match = re.search(r"largest difference over the batch: ([0-9.e+-]+)", html)
    assert match, "chapter 1 should print the nnlib/Keras difference"
    assert float(match.group(1)) < 1e-6


def test_nnlib_and_keras_agree_on_the_chapter4_page(site: Path):
    html = (site / "chapters" / "ch04_errors.html").read_text()
    clip = re.findall(r"largest relative difference ([0-9.e+-]+)", html)
    assert len(clip) == 3 and all(float(d) < 1e-5 for d in clip), clip
    stops = re.findall(r"nnlib stops after epoch (\d+) \(best (\d+)\), Keras after epoch (\d+) "
                       r"\(best (\d+)\)", html)
    assert len(stops) == 3 and all(a == c and b == d for a, b, c, d in stops), stops
    weights = re.search(r"largest weight difference after 5 epochs: ([0-9.e+-]+)", html)
    assert weights and float(weights.group(1)) < 1e-5


def test_math_is_served_from_the_site(site: Path):
    mathjax = site / "mathjax" / "tex-mml-chtml.js"
    assert mathjax.stat().st_size > 500_000
    assert (site / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()
    for page in site.rglob("*.html"):
        html = page.read_text()
        scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
        remote = [s for s in scripts if s.startswith(("http:", "https:", "//"))]
        assert not remote, f"{page.name} loads scripts from the network: {remote}"
        if "\\(" in html or "\\[" in html:
            assert "mathjax/tex-mml-chtml.js" in html, f"{page.name} has math but no local MathJax"
    chapter = (site / "chapters" / "ch01_neurons.html").read_text()
    assert 'class="math notranslate nohighlight">\\(' in chapter, "no inline math in chapter 1"
    assert 'class="math notranslate nohighlight">\n\\[' in chapter or \
        'class="math notranslate nohighlight">\\[' in chapter, "no display math in chapter 1"


def tiny_book(tmp_path: Path, cell: str) -> Path:
    """A one-page book with the course's configuration whose only code cell is ``cell``."""
    book = tmp_path / "book"
    book.mkdir()
    shutil.copy(BOOK / "_config.yml", book)
    (book / "_extra").mkdir()
    (book / "_extra" / "robots.txt").write_text("")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: page\n")
    (book / "intro.md").write_text("# Intro\n")
    (book / "page.md").write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n"
        "  name: python3\n  display_name: Python 3\n---\n# Page\n\n"
        f"```{{code-cell}} ipython3\n{cell}\n```\n")
    return book


def test_a_cell_error_fails_the_build(tmp_path: Path):
    """The same configuration turns a failing cell into a failed build (not just a warning)."""
    proc = build(tiny_book(tmp_path, "raise RuntimeError('this cell fails')"), tmp_path / "out")
    assert proc.returncode != 0
    assert "this cell fails" in proc.stdout + proc.stderr


def test_stderr_output_fails_the_build(tmp_path: Path):
    proc = build(tiny_book(tmp_path, "import sys\nprint('noise', file=sys.stderr)"), tmp_path / "out")
    assert proc.returncode != 0
    assert "stderr was found in the cell outputs" in proc.stdout + proc.stderr


def test_a_clean_page_builds(tmp_path: Path):
    """The failures above come from the cells, not from the tiny book itself."""
    proc = build(tiny_book(tmp_path, "print('fine')"), tmp_path / "out")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_every_page_names_the_licences(site: Path):
    """Instructors may adapt and redistribute the course: each page's footer says under which
    licences (the files exist at the repository's root)."""
    assert (REPO / "LICENSE").read_text().startswith("MIT License")
    assert "Creative Commons Attribution 4.0 International" in (REPO / "LICENSE-TEXT").read_text()
    pages = sorted(site.glob("chapters/*.html")) + [site / "intro.html"]  # index.html redirects
    for page in pages:
        html = page.read_text()
        assert "creativecommons.org/licenses/by/4.0" in html and "MIT" in html, page.name
