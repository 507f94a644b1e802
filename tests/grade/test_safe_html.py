"""What of a learner's markdown reaches the trainer's pages: a business answer's structure, never an action."""
from __future__ import annotations

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from mda_checks.grade.safe_html import ALLOWED_CLASSES, as_markdown, clean_html, markdown_html
from tests.grade.hostile_html import TEXT_ONLY, dangers, hostile_answer, payloads

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


@pytest.mark.parametrize("name", sorted(set(payloads()) - TEXT_ONLY))
def test_each_payload_is_active_html_once_rendered_so_the_check_can_fail(name):
    """Without cleaning, nbconvert's rendering of each payload keeps something that acts on a page."""
    assert dangers(markdown2html_mistune(payloads()[name])), name


@pytest.mark.parametrize("name", sorted(payloads()))
def test_each_payload_leaves_nothing_active(name):
    cleaned = markdown_html(payloads()[name])
    assert dangers(cleaned) == [], (name, cleaned)


def test_a_whole_hostile_answer_keeps_its_text_and_nothing_active():
    cleaned = markdown_html(hostile_answer(3))
    assert dangers(cleaned) == []
    assert "Analyse argumentée de l'apprenant (réponse 3)" in cleaned
    assert "Valider la note" in cleaned and "Page de connexion" in cleaned  # the text of removed tags stays text


def test_scripts_and_style_sheets_disappear_with_their_code():
    cleaned = clean_html("<p>Avant</p><script>alert(1)</script><style>body{display:none}</style><p>Après</p>")
    assert cleaned == "<p>Avant</p><p>Après</p>"


def test_what_a_business_answer_needs_is_kept():
    source = "\n".join([
        "## Synthèse", "", "Le **CA** progresse de *12 %* ; voir ~~l'ancien~~ le `tableau`.", "",
        "| Poste | Montant |", "|:--|--:|", "| Ventes | 1 200 € |", "",
        "1. Premier point", "2. Second point", "", "- puce", "", "> Citation du client", "",
        "[Source INSEE](https://www.insee.fr/fr/statistiques) — [écrire](mailto:contact@exemple.fr)", "",
        f"![graphique collé](data:image/png;base64,{PNG})", "",
        "```python", "ca = ventes.sum()", "```",
    ])
    cleaned = markdown_html(source)
    for kept in ("<h2>Synthèse</h2>", "<strong>CA</strong>", "<em>12 %</em>", "<del>l'ancien</del>",
                 "<code>tableau</code>", '<th style="text-align:left;">Poste</th>', '<td style="text-align:right;">',
                 "<ol>", "<li>Premier point</li>", "<ul>", "<blockquote>",
                 '<a href="https://www.insee.fr/fr/statistiques">Source INSEE</a>',
                 '<a href="mailto:contact@exemple.fr">', f'src="data:image/png;base64,{PNG}"', 'alt="graphique collé"',
                 '<div class="highlight"><pre>', '<span class="n">ca</span>'):
        assert kept in cleaned, kept
    assert dangers(cleaned) == []


def test_an_image_pasted_in_the_cell_is_kept_and_a_missing_attachment_keeps_its_text():
    cleaned = markdown_html("![collée](attachment:image.png) ![perdue](attachment:absente.png)",
                            {"image.png": {"image/png": PNG}})
    assert f'src="data:image/png;base64,{PNG}"' in cleaned and "perdue" in cleaned


@pytest.mark.parametrize("address", ["/logout", "../../api/contents/nbgrader_config.py", "files/evil.html",
                                     "//exemple.fr/x", "javascript:alert(1)", " JaVaScRiPt:alert(1)",
                                     "vbscript:x", "data:text/html,<b>x</b>", "file:///etc/passwd"])
def test_links_go_out_to_the_web_or_stay_on_the_page(address):
    assert 'href' not in clean_html(f'<a href="{address}">lien</a>')


@pytest.mark.parametrize("address", ["x.png", "/logout", "https://exemple.fr/pixel.png", f"data:image/svg+xml;base64,{PNG}",
                                     "data:text/html;base64,PHNjcmlwdD4="])
def test_images_are_only_embedded_bitmaps(address):
    assert clean_html(f'<p><img src="{address}" alt="graphique"></p>') == "<p>graphique</p>"


@pytest.mark.parametrize("attribute", ['id="submission_id"', 'name="x"', 'data-toggle="modal"', 'class="navbar-fixed-top"',
                                       'class="k modal-backdrop"', 'class="mda-check mda-juste"',
                                       'style="position:fixed"', 'onclick="x()"', 'tabindex="1"'])
def test_attributes_that_act_on_the_page_are_removed(attribute):
    assert attribute.split("=")[0] not in clean_html(f"<span {attribute}>texte</span>")


def test_only_the_code_highlighting_classes_are_kept():
    assert clean_html('<span class="k nf">def</span>') == '<span class="k nf">def</span>'
    assert ALLOWED_CLASSES >= {"highlight", "k", "nf", "s1"}


def test_cleaning_twice_changes_nothing_but_blank_lines():
    once = markdown_html(hostile_answer(1))
    assert clean_html(once).split() == once.split()


def test_as_markdown_is_one_raw_html_line_that_markdown_renders_unchanged():
    html = markdown_html("Texte\n\n```python\na = 1\n\nb = 2\n```\n\n\\*pas en italique\\* \\[lien\\]\\(x\\)")
    source = as_markdown(html)
    assert "\n" not in source and source.startswith("<div>") and "*pas en italique*" in html
    rendered = markdown2html_mistune(source)
    assert rendered.strip() == source  # raw HTML: passed through as it is
    assert "<em>" not in rendered and "<a" not in rendered  # escaped markdown stays text on the second reading
    assert clean_html(rendered).strip() == f"<div>{html}</div>"  # code keeps its line breaks
