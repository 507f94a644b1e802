"""nbgrader configuration of the course: the one place where grading is set up.

Every nbgrader command run from this directory (and every `mda` command) reads it.
"""
import importlib.util
import os
from pathlib import Path

c = get_config()  # noqa: F821  (injected by traitlets)

COURSE_ROOT = Path(__file__).resolve().parent

c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.course_id = "manager-affaires"

# Learners' copies: French stubs. A code answer keeps its `variable = ...` line
# above the solution region, so the stub only has to say where to write.
c.ClearSolutions.code_stub = {"python": "# VOTRE CODE ICI"}
c.ClearSolutions.text_stub = "VOTRE RÉPONSE ICI"

# Autograde: a deleted grade cell is put back and graded (it scores 0 instead of
# waiting forever for a manual grade); each cell gets at most 60 s.
c.OverwriteCells.add_missing_cells = True
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# Feedback for learners: nbgrader copies hidden tests into the autograded notebook;
# ClearHiddenTests strips them again before the HTML is written.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Feedback pages in French: mda_checks/templates/feedback_fr extends nbgrader's own
# feedback template (found in nbgrader's formgrader templates).
_templates = [
    str(Path(importlib.util.find_spec("nbgrader").origin).parent / "server_extensions" / "formgrader" / "templates"),
    str(Path(importlib.util.find_spec("mda_checks").origin).parent / "templates"),
]
c.HTMLExporter.extra_template_basedirs = _templates
c.HTMLExporter.template_name = "feedback_fr"

# Hidden tests import the grader-only reference code (mda_reference/, never
# installed for learners). Kernels inherit this environment variable.
_paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(COURSE_ROOT)]
os.environ["PYTHONPATH"] = os.pathsep.join([str(COURSE_ROOT), *_paths])
