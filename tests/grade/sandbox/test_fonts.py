"""matplotlib's font list, made on the grader's side and given read-only to each kernel."""
from __future__ import annotations

import json
import os
from pathlib import Path

from mda_checks.grade.sandbox import fonts
from tests.grade.sandbox.test_isolation import _notebook_folder, _outputs, _run


def _names(path: Path) -> set[str]:
    return {Path(entry["fname"]).name for entry in json.loads(path.read_text(encoding="utf-8"))["ttflist"]}


def test_the_list_keeps_only_the_fonts_the_sandbox_shows_and_none_through_a_link_out_of_it(tmp_path, monkeypatch):
    shown_folder, hidden_folder = tmp_path / "montre", tmp_path / "cache"
    shown_folder.mkdir()
    hidden_folder.mkdir()
    real = fonts._grader_fonts().ttflist[0]
    for folder, name in ((shown_folder, "visible.ttf"), (hidden_folder, "masquee.ttf")):
        (folder / name).write_bytes(Path(real.fname).read_bytes())
    (shown_folder / "lien.ttf").symlink_to(hidden_folder / "masquee.ttf")  # seen, but what it is is not
    manager = fonts._grader_fonts()
    entries = [type(real)(**{**vars(real), "fname": str(p)})
               for p in (shown_folder / "visible.ttf", hidden_folder / "masquee.ttf", shown_folder / "lien.ttf",
                         shown_folder / "absente.ttf")]
    monkeypatch.setattr(manager, "ttflist", entries)

    def shown(path: Path) -> bool:
        return hidden_folder not in path.parents

    written = fonts.write_font_list(shown, tmp_path / "liste.json")
    assert _names(written) == {"visible.ttf"}
    assert os.stat(written).st_mode & 0o777 == 0o644  # the kernel reads it, never writes it
    assert _names(fonts.write_font_list(lambda path: True, tmp_path / "tout.json")) == {
        "visible.ttf", "masquee.ttf", "lien.ttf"}  # the same list with everything shown: the filter is the cause


#: the cell imports matplotlib (and, without the list, scans the fonts): its limits leave room for a loaded machine
GENEROUS = {"cell_timeout": 300, "notebook_seconds": 600}

CHART = """
import io, logging, os
journal = io.StringIO()
handler = logging.StreamHandler(journal)
logging.getLogger("matplotlib").addHandler(handler)
logging.getLogger("matplotlib").setLevel(logging.DEBUG)
import matplotlib
import matplotlib.pyplot as plt
plt.plot([1, 2, 3])
plt.title("Chiffre d'affaires")
plt.savefig(io.BytesIO(), format="png")
logging.getLogger("matplotlib").removeHandler(handler)
lines = journal.getvalue()
print("DOSSIER=" + matplotlib.get_cachedir(), "ECRIVABLE=" + str(os.access(matplotlib.get_cachedir(), os.W_OK)))
print("LUE=" + str("Using fontManager instance from /tmp/.matplotlib/" in lines),
      "RECONSTRUITE=" + str("generated new fontManager" in lines or "Rebuilding cache" in lines))
"""


def test_a_kernel_draws_from_the_list_without_scanning_the_fonts_nor_writing_to_stderr(tmp_path, monkeypatch):
    notebook, problem, _ = _run([CHART], _notebook_folder(tmp_path / "avec"), **GENEROUS)
    assert problem is None
    outputs = notebook.cells[0].outputs
    assert not [o for o in outputs if o.get("name") == "stderr" or o.get("output_type") == "error"], outputs
    text = _outputs(notebook.cells[0])
    assert "DOSSIER=/tmp/.matplotlib" in text and "ECRIVABLE=True" in text
    assert "LUE=True" in text and "RECONSTRUITE=False" in text, text
    # without the list, the same kernel scans the fonts: the check above can fail
    monkeypatch.setattr(fonts, "font_list_arguments", lambda shown, private: [])
    notebook, problem, _ = _run([CHART], _notebook_folder(tmp_path / "sans"), **GENEROUS)
    assert problem is None and "LUE=False" in _outputs(notebook.cells[0])
    assert "RECONSTRUITE=True" in _outputs(notebook.cells[0])

