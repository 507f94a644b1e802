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
# The gradebook: nbgrader's SQLite file gradebook.db in the course by default; a shared server
# (PostgreSQL) when MDA_GRADEBOOK_URL gives its address. docs/formateur.md « Carnet de notes partagé (PostgreSQL) ».
c.CourseDirectory.db_url = os.environ.get("MDA_GRADEBOOK_URL") or f"sqlite:///{COURSE_ROOT / 'gradebook.db'}"
# nbgrader's exchange on this machine (release, fetch, submit, collect, feedback): echange/ in the
# course, git-ignored, created world-writable with the sticky bit (1777) by `make install` and
# `mda echange` / `mda build`. Why there: docs/formateur.md « Le dossier d'échange ».
c.Exchange.root = str(COURSE_ROOT / "echange")
# An assignment published per learner (`mda release`): fetching it gives the learner their own copy.
c.ExchangeFactory.fetch_assignment = "mda_apprenant.exchange_fetch.FetchOwnCopy"

# Learners' copies: French stubs. A code answer keeps its `variable = ...` line
# above the solution region, so the stub only has to say where to write.
c.ClearSolutions.code_stub = {"python": "# VOTRE CODE ICI"}
c.ClearSolutions.text_stub = "VOTRE RÉPONSE ICI"

# Autograde: a deleted grade cell is put back and graded (it scores 0 instead of
# waiting forever for a manual grade); each cell gets at most 60 s.
c.OverwriteCells.add_missing_cells = True
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
# The notebooks' what-if tools (ipywidgets, never graded) are not saved with the graded notebook:
# its pages (feedback, formgrader) are sanitized and cannot run a widget, and without a saved
# state nbconvert shows the static chart each tool displays beside its live view (apprenant/mda_apprenant/widgets).
c.Execute.store_widget_state = False

# Two-phase grading. The learner's kernel only runs the notebook: each check cell hands
# its answer over as data. ScoreAnswers, right after Execute and outside the kernel,
# reads that data, computes the expected value with the grader-only reference
# (mda_reference/, never importable in a kernel) and writes the cell's only score,
# before SaveAutoGrades reads it. The rest is nbgrader's own pipeline, in its order.
# A learner given a variant of the case (`mda release`) is graded on it: UseLearnerCase puts
# their own data, regenerated from the course's secret, where nbgrader put source/<bloc>/data;
# ScoreAnswers computes the expected values from it; the statements of the graded notebook (and
# of the feedback) quote its numbers. docs/formateur.md « Une variante par apprenant ».
c.Autograde.autograde_preprocessors = [
    "mda_checks.grade.preprocessors.use_learner_case.UseLearnerCase",
    "mda_checks.grade.sandbox.capped_execute.CappedExecute",
    "mda_checks.grade.preprocessors.score_answers.ScoreAnswers",
    # no folder of the grading machine in a graded notebook's tracebacks (nor in its feedback)
    "mda_checks.grade.preprocessors.strip_paths.StripGraderPaths",
    "mda_checks.grade.preprocessors.render_learner_statements.RenderLearnerStatements",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "mda_checks.grade.preprocessors.french_grades.SaveAutoGradesFr",
    # after SaveAutoGrades (which compares each answer with its checksum on the learner's own text):
    # the graded notebook keeps only safe HTML of what the learner wrote (docs/bac-a-sable.md)
    "mda_checks.grade.preprocessors.sanitize_answers.SanitizeAnswers",
    "nbgrader.preprocessors.AssignLatePenalties",
    "mda_checks.grade.preprocessors.check_metadata.CheckCellMetadataOnce",
]
# A submitted notebook above the size cap is refused before it is read, whatever way grading takes
# (mda_checks/grade/capped_exporter.py; mda grade never hands one over).
c.Autograde.exporter_class = "mda_checks.grade.capped_exporter.SizeCappedExporter"
# nbgrader's sanitizing list, in its order; its metadata check validates the JSON schema once per
# process instead of once per cell (same errors: mda_checks/grade/preprocessors/check_metadata.py);
# a cell copied by the learner leaves only its last copy graded, the others plain cells (nbgrader's
# DeduplicateIds alone makes the whole notebook fail: mda_checks/grade/preprocessors/drop_duplicate_ids.py)
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "mda_checks.grade.preprocessors.drop_duplicate_ids.DropDuplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    # metadata.mda as in the master, whatever the learner's copy says (mda_checks/grade/preprocessors/restore_metadata.py)
    "mda_checks.grade.preprocessors.restore_metadata.RestoreMdaMetadata",
    "mda_checks.grade.preprocessors.check_metadata.CheckCellMetadataOnce",
]
c.ScoreAnswers.reference_root = str(COURSE_ROOT)
c.UseLearnerCase.course_root = str(COURSE_ROOT)
c.RestoreMdaMetadata.course_root = str(COURSE_ROOT)
c.RenderLearnerStatements.course_root = str(COURSE_ROOT)
c.ShowLearnerVariant.course_root = str(COURSE_ROOT)

# Learners' copies: a statement quoting « {{parametre}} » shows the number of the data the copy
# ships with (mda_checks/assign/statements.py); the rest is nbgrader's own list, in its order, its
# metadata check with the schema validated once per process, as in grading.
c.GenerateAssignment.preprocessors = [
    "mda_checks.assign.statements.RenderStatements",
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "nbgrader.preprocessors.ClearOutput",
    "mda_checks.grade.preprocessors.check_metadata.CheckCellMetadataOnce",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "mda_checks.grade.preprocessors.check_metadata.CheckCellMetadataOnce",
]
# Every grading kernel (nbgrader autograde, formgrader's button, mda grade) starts in a
# sandbox of its own: mda_checks/grade/sandbox/sandboxed_kernel.py, docs/bac-a-sable.md.
c.Execute.kernel_manager_class = "mda_checks.grade.sandbox.sandboxed_kernel.SandboxedKernelManager"
c.SandboxedKernelManager.course_root = str(COURSE_ROOT)
c.ScoreAnswers.case_data = str(COURSE_ROOT / "source" / "{assignment}" / "data")

# Feedback for learners (check cells hold no hidden test any more; ClearHiddenTests stays
# as a guard). Learners' outputs are sanitized: no script reaches a feedback page.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "mda_checks.feedback_variant.ShowLearnerVariant",
]
c.HTMLExporter.sanitize_html = True
# Every HTML exporter (feedback, formgrader's manual grading page) gets the project's filters: the
# learner's markdown and outputs are cleaned by mda_clean_html (mda_checks/grade/safe_html.py); the
# grading page's Content-Security-Policy allows its one inline script by hash (mda_checks/formgrader_csp.py).
c.HTMLExporter.filters = {
    "mda_clean_html": "mda_checks.grade.safe_html.clean_html",
    "mda_formgrade_policy": "mda_checks.formgrader_csp.formgrade_policy",
    "mda_result_html": "mda_checks.notebook.result_record.record_html",  # a check cell's message, from its record
}

# Feedback pages in French: mda_checks/templates/feedback is found before nbgrader's own
# « feedback » template (same name, searched first), so GenerateFeedback uses it; so is
# mda_checks/templates/formgrade, formgrader's manual grading page with the learner's work cleaned.
# The template name itself is left to each exporter (setting HTMLExporter.template_name here would
# replace « formgrade » for formgrader and break that page).
c.HTMLExporter.extra_template_basedirs = [
    str(Path(importlib.util.find_spec("mda_checks").origin).parent / "templates"),
    str(Path(importlib.util.find_spec("nbgrader").origin).parent / "server_extensions" / "formgrader" / "templates"),
]
