"""What both what-if tools share: reading a learner's value, a French message instead of a
traceback, a chart as PNG bytes, and the display object that carries a static chart.

The display object's MIME bundle holds the live widget (JupyterLab shows it) **and** a PNG of the
chart in its initial state with a French plain-text summary. nbconvert (the feedback pages of
``mda feedback``, any HTML export) skips a widget view whose state is not saved in the notebook,
which is always the case for a notebook run by the grader: the page shows the static chart.
"""
from __future__ import annotations

import html
import io
import math
import re
from numbers import Real

from mda_apprenant.check.formatting import format_number

#: MIME type of a live ipywidgets view (JupyterLab's widget renderer)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class MissingInput(ValueError):
    """A learner's value the tool starts from is missing or unusable (message in French)."""


def unanswered(value) -> bool:
    """A graded answer still left as the workbook gives it (`...`) or emptied (None)."""
    return value is None or value is Ellipsis


def answer_first(questions) -> str:
    """The French sentence that sends the learner back to the questions the tool needs answered first."""
    numbers = sorted(set(questions))
    if len(numbers) == 1:
        where = f"à la question {numbers[0]}"
    else:
        where = "aux questions " + ", ".join(str(n) for n in numbers[:-1]) + f" et {numbers[-1]}"
    return f"Répondez d'abord {where} : le simulateur part de vos réponses."


def learner_number(value, what: str) -> float:
    """A finite number from a learner's result, or MissingInput saying in French what is wrong."""
    if value is None or value is Ellipsis:
        raise MissingInput(f"{what} n'est pas encore calculé(e).")
    if hasattr(value, "item") and getattr(value, "size", 1) == 1 and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, bool) or not isinstance(value, Real):
        raise MissingInput(f"{what} n'est pas un nombre ({type(value).__name__}).")
    number = float(value)
    if not math.isfinite(number):
        raise MissingInput(f"{what} n'est pas un nombre fini.")
    return number


def euros(value: float) -> str:
    """12345.6 -> '12 346 €' (rounded to the euro: a simulation, not an answer)."""
    return f"{format_number(round(value), 0)} €"


def signed_euros(value: float) -> str:
    rounded = round(value)
    sign = "+" if rounded > 0 else ("−" if rounded < 0 else "")
    return f"{sign}{format_number(abs(rounded), 0)} €"


def figure_png(figure) -> bytes:
    """A matplotlib Figure (not pyplot: nothing is shown or kept by the notebook) as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def result_and_chart():
    """The two outputs every simulator redraws: its result text and its chart (CSS classes the pages and tests use)."""
    import ipywidgets as widgets

    result = widgets.HTML()
    result.add_class("mda-simulation-resultat")
    chart = widgets.Image(format="png")
    chart.add_class("mda-simulation-graphique")
    return result, chart


_CODE = re.compile(r"`([^`]+)`")


def plain(text: str) -> str:
    """A message's `code` marks as French quotes: « matrice_criticite » (never a raw backtick)."""
    return _CODE.sub(r"« \1 »", text)


def rich(text: str) -> str:
    """A message as safe HTML, its `code` marks as <code> (never a raw backtick)."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text))


class Unavailable:
    """What the learner sees instead of the tool when a value it starts from is missing."""

    def __init__(self, title: str, reason: str, advice: str):
        self.title, self.reason, self.advice = title, reason, advice

    def text(self) -> str:
        return plain(f"{self.title} indisponible : {self.reason} {self.advice}")

    def _repr_mimebundle_(self, include=None, exclude=None):
        body = (f'<div class="mda-outil-indisponible"><p><strong>{html.escape(self.title)} indisponible.</strong> '
                f"{rich(self.reason)}</p><p>{rich(self.advice)}</p></div>")
        return {"text/plain": self.text(), "text/html": body}

    def __repr__(self) -> str:
        return self.text()


class WhatIfDisplay:
    """A live widget for JupyterLab, with a static PNG and a text summary for every other reader."""

    def __init__(self, widget, static_png: bytes, summary: str):
        self.widget, self.static_png, self.summary = widget, static_png, summary

    def _repr_mimebundle_(self, include=None, exclude=None):
        """(data, metadata): the widget view, the chart and the summary, which is also the chart's
        text alternative (read aloud by a screen reader on an HTML page)."""
        import base64

        live = self.widget._repr_mimebundle_() or {}
        bundle = {WIDGET_VIEW: live[WIDGET_VIEW]} if WIDGET_VIEW in live else {}
        bundle["image/png"] = base64.b64encode(self.static_png).decode("ascii")
        bundle["text/plain"] = self.summary
        return bundle, {"image/png": {"alt": " ".join(self.summary.split())}}

    def __repr__(self) -> str:
        return self.summary
