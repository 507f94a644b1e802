"""The course's configuration gives feedback its French template and leaves formgrader its own."""
from nbconvert import HTMLExporter

from mda_checks.nbgrader_api import course_config
from tests.conftest import REPO


def test_the_configuration_names_no_template_so_formgrader_keeps_its_grading_page():
    """Setting HTMLExporter.template_name would replace formgrader's « formgrade » page (HTTP 500)."""
    config = course_config(REPO)
    assert "template_name" not in config.HTMLExporter
    config.HTMLExporter.template_name = "formgrade"  # what formgrader asks for
    exporter = HTMLExporter(config=config)
    assert exporter.template.filename.replace("\\", "/").endswith("formgrade/index.html.j2")


def test_the_feedback_template_found_first_is_the_french_one():
    config = course_config(REPO)
    config.HTMLExporter.template_name = "feedback"  # what nbgrader's GenerateFeedback asks for
    exporter = HTMLExporter(config=config)
    # (the pages themselves are checked in French by tests/e2e/test_cycle.py)
    assert "mda_checks/templates/feedback/" in exporter.template.filename.replace("\\", "/")


def test_formgraders_grading_page_found_first_is_the_projects_with_its_filters():
    """mda_checks/templates/formgrade cleans the learner's work; its filters come from the same configuration."""
    config = course_config(REPO)
    config.HTMLExporter.template_name = "formgrade"
    exporter = HTMLExporter(config=config)
    assert "mda_checks/templates/formgrade/" in exporter.template.filename.replace("\\", "/")
    assert {"mda_clean_html", "mda_formgrade_policy"} <= set(exporter.environment.filters)
