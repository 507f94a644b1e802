"""HTML to PDF through Chromium's own print (Playwright driving Debian's Chromium).

The same HTML the accessibility tests check (axe-core) is printed: a tagged PDF (its structure tree
follows the headings, tables and lists, so a screen reader reads it), with an outline from the
headings, the document's language (``lang="fr"``), A4 pages numbered « page X sur Y ». Chromium is
Debian's (``/usr/bin/chromium``), never a browser downloaded by ``playwright install``. The pages are
printed offline and without JavaScript: they need neither, and nothing they quote can run.
"""
from __future__ import annotations

import html
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium", "/usr/lib/chromium/chromium")
#: a page's print never waits on a busy machine's first paint with a short limit
PRINT_TIMEOUT_MS = 300_000


class ChromiumMissing(FileNotFoundError):
    """No Chromium (or no Playwright) to print PDF files with: said in French, with the fix."""


def find_chromium() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name) if not name.startswith("/") else (name if Path(name).is_file() else None)
        if found:
            return found
    return None


def footer_template(label: str) -> str:
    return ('<div style="font-family: \'DejaVu Sans\', sans-serif; font-size: 8pt; width: 100%; text-align: center; '
            f'color: #333;">{html.escape(label)} — page <span class="pageNumber"></span> sur '
            '<span class="totalPages"></span></div>')


class PdfRenderer:
    """One Chromium for many documents: ``with PdfRenderer() as pdf: pdf.render(html, path, footer)``.

    Playwright's synchronous API refuses a thread that already runs an event loop (a Jupyter kernel,
    where a trainer may print from the dashboard, or another Playwright session): every call to it is
    made in one thread of the renderer's own."""

    def __init__(self, executable: str | None = None):
        self.executable = executable or find_chromium()
        self._playwright: Any = None  # Playwright's objects, made in _start (in the renderer's thread)
        self._browser: Any = None
        self._context: Any = None
        self._thread: ThreadPoolExecutor | None = None

    def _call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mda-pdf")
        return self._thread.submit(function, *args, **kwargs).result()

    def __enter__(self) -> PdfRenderer:
        try:
            self._call(self._start)
        except BaseException:
            self._shutdown()
            raise
        return self

    def _shutdown(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True)
            self._thread = None

    def _start(self) -> None:
        if self.executable is None:
            raise ChromiumMissing("Chromium est introuvable : les PDF (procès-verbal, livrets) s'impriment avec le "
                                  "Chromium de Debian. Installez-le : `sudo apt-get install chromium` (`make install` "
                                  "le fait en root), puis relancez la commande.")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise ChromiumMissing("Playwright est absent : les PDF s'impriment avec Chromium piloté par Playwright. "
                                  "Installez le projet (`make install`), puis relancez la commande.") from None
        self._playwright = sync_playwright().start()
        try:
            # --no-sandbox: a trainer's server may run this as root, where Chromium's own sandbox cannot start
            self._browser = self._playwright.chromium.launch(
                executable_path=self.executable, args=["--no-sandbox", "--disable-dev-shm-usage"])
        except Exception as problem:  # noqa: BLE001 - Playwright's errors are English and long
            self._playwright.stop()
            raise ChromiumMissing(f"Chromium ({self.executable}) ne démarre pas : {str(problem).splitlines()[0]}") \
                from None
        self._context = self._browser.new_context(java_script_enabled=False, offline=True, locale="fr-FR")
        self._context.set_default_timeout(PRINT_TIMEOUT_MS)

    def render(self, page_html: str, target: Path, footer: str, landscape: bool = False) -> Path:
        """Print `page_html` to `target` (A4, tagged, outlined, numbered pages); return `target`."""
        target.parent.mkdir(parents=True, exist_ok=True)
        return self._call(self._print, page_html, target, footer, landscape)

    def _print(self, page_html: str, target: Path, footer: str, landscape: bool) -> Path:
        page = self._context.new_page()
        try:
            page.route("**/*", lambda route: route.abort())  # nothing is fetched: the pages are self-contained
            page.set_content(page_html, wait_until="load")
            page.pdf(path=str(target), format="A4", landscape=landscape, print_background=True, tagged=True,
                     outline=True, display_header_footer=True, header_template="<span></span>",
                     footer_template=footer_template(footer),
                     margin={"top": "14mm", "bottom": "18mm", "left": "12mm", "right": "12mm"})
        finally:
            page.close()
        return target

    def __exit__(self, *_exc) -> None:
        try:
            self._call(self._stop)
        finally:
            self._shutdown()

    def _stop(self) -> None:
        for closing in (self._context, self._browser):
            if closing is not None:
                closing.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._playwright = self._browser = self._context = None
