"""The HTML report a jury reads: the heat map is a table with its legend; charts legible, with specific alt texts."""
from html.parser import HTMLParser

from matplotlib.transforms import Bbox

from mda_checks.report.charts import DPI, LOOKS, png_size, status_distribution_figure
from mda_checks.referentiel import bloc_label
from mda_checks.report.competencies import ACQUIRED, NOT_ACQUIRED, NOT_ASSESSED, PENDING, STATUSES

PAGE_COLUMN_PX = 72 * 16  # base.html.j2: body max-width 72em, 16 px font


class Page(HTMLParser):
    """The elements of a page as (tag, attributes, text directly inside), in order."""

    def __init__(self, text: str):
        super().__init__()
        self.elements, self._open = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = [tag, dict(attrs), ""]
        self.elements.append(element)
        if tag not in ("img", "br", "meta", "link"):
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for element in self._open:
            element[2] += data

    def find(self, tag, **attrs):
        return [e for e in self.elements if e[0] == tag and all(e[1].get(k) == v for k, v in attrs.items())]


def test_the_heat_map_is_a_table_of_letters_with_a_legend_next_to_it(cohort):
    text = cohort.index.read_text(encoding="utf-8")
    page = Page(text)
    assert len(page.find("img")) == 2  # one bar chart per bloc; the heat map is no longer an image
    for bloc, _criteria in (("bloc1", 25), ("bloc2", 36)):  # bloc2's last CE is assessed by no cell
        legend = page.find("ul", id=f"legende-{bloc}")
        assert legend, "each heat map has its legend"
        for status in STATUSES:  # every letter explained, in French
            assert f"{LOOKS[status].letter} {status} : " in " ".join(legend[0][2].split())
        tables = page.find("table", **{"aria-describedby": f"legende-{bloc}"})
        label = bloc_label(bloc)  # « Bloc 1 — Stratégie commerciale durable »: the referential's title, never « bloc1 »
        assert len(tables) == 1 and f"{label} : statut de chaque critère" in " ".join(tables[0][2].split())
        # the legend comes right before the table: nothing between them but the legend's own items
        between = text.split(f'id="legende-{bloc}"')[1].split(f'aria-describedby="legende-{bloc}"')[0]
        assert "<img" not in between and "<h2" not in between and "<p" not in between
    headers = [e[2] for e in page.find("th", scope="col", **{"class": "ce"})]
    assert len(headers) == 25 + 36 and headers[:3] == ["CE1.1.1", "CE1.1.2", "CE1.1.3"]
    cells = [e for e in page.elements if e[0] == "td" and e[1].get("class", "").startswith("case ")]
    assert len(cells) == 2 * (25 + 36)
    letters = {look.letter: status for status, look in LOOKS.items()}
    for _tag, attrs, letter in cells:  # the letter carries the status; class (colour) and title repeat it
        status = letters[letter]
        assert attrs["class"] == f"case s-{LOOKS[status].css}" and f" : {status}" in attrs["title"]
    first = next(c for c in cells if c[1]["title"].startswith("Alice Martin (alice), CE1.1.1 "))
    assert first[2] == "N" and first[1]["title"] == "Alice Martin (alice), CE1.1.1 : non acquis, 0,5 / 4 points"
    found = {letters[c[2]] for c in cells}
    assert {ACQUIRED, NOT_ACQUIRED, PENDING} <= found


def test_the_legend_colours_are_those_of_the_cells(cohort):
    text = cohort.index.read_text(encoding="utf-8")
    for look in LOOKS.values():
        assert f".s-{look.css} {{ background: {look.background}; color: {look.ink}; }}" in text
        assert f'<span class="case s-{look.css}">{look.letter}</span>' in text


def test_charts_have_specific_alt_texts_and_are_shown_at_their_own_size(cohort):
    page = Page(cohort.index.read_text(encoding="utf-8"))
    images = page.find("img")
    alts = [attrs["alt"] for _, attrs, _ in images]
    assert alts[0].startswith("Bloc 1 — Stratégie commerciale durable : barres empilées du nombre d'apprenants par statut")
    assert "25 critères évalués, sur 2 apprenants" in alts[0] and "Critère le moins souvent acquis : CE" in alts[0]
    assert alts[1].startswith("Bloc 2 — Conquête et fidélisation client : ") and "36 critères évalués" in alts[1]
    assert "en attente" in alts[1]
    assert len(set(alts)) == len(alts)
    for _, attrs, _ in images:  # not squeezed: drawn at its own pixel size, within the page's column
        width, height = png_size(attrs["src"])
        assert (int(attrs["width"]), int(attrs["height"])) == (width, height)
        assert width <= PAGE_COLUMN_PX


def _legend_gap_px(figure) -> float:
    """Vertical distance between the legend and the plot (its frame, ticks and axis label)."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    axis = figure.axes[0]
    legend = (axis.get_legend() or figure.legends[0]).get_window_extent(renderer)
    body = Bbox.union([axis.get_window_extent(renderer), axis.xaxis.get_tightbbox(renderer)])
    return max(legend.y0 - body.y1, body.y0 - legend.y1, 0.0)


def test_the_bar_chart_legend_stays_next_to_the_bars(cohort):
    grid = cohort.grid
    for assignment in ("bloc1", "bloc2"):
        rows = grid[grid["devoir"] == assignment]
        assert rows["statut"].isin([NOT_ASSESSED]).any() == (assignment == "bloc2")
        figure = status_distribution_figure(rows, assignment)
        assert _legend_gap_px(figure) <= 0.1 * figure.dpi, assignment  # a tenth of an inch at most
        width_px = figure.get_figwidth() * DPI
        assert width_px <= PAGE_COLUMN_PX


def test_learners_named_by_the_roster_show_their_name_and_id(cohort):
    import openpyxl

    index = cohort.index.read_text(encoding="utf-8")
    assert "Alice Martin (alice)" in index and "bruno" in index and "nan (" not in index
    assert "Alice Martin (alice)" in cohort.page("alice")
    book = openpyxl.load_workbook(cohort.workbook)
    shown = {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    assert "Alice Martin (alice)" in shown and "bruno" in shown
