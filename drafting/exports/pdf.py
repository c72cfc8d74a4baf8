"""The outcome document as PDF: WeasyPrint prints the same HTML as the reading page.

WeasyPrint is imported when a PDF is first asked for: it takes over half a second to import,
which every server start, test server and CLI command would otherwise pay.
"""
import mimetypes
from functools import cache
from pathlib import Path

BASE_URL = "http://drafting.invalid/"


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """Stylesheets and images come from the static folder; nothing is fetched from the network."""

        def __init__(self, static_folder):
            super().__init__(allowed_protocols={"http"})
            self.static = Path(static_folder).resolve()

        def fetch(self, url, headers=None):
            prefix = BASE_URL + "static/"
            if url.startswith(prefix):
                path = (self.static / url[len(prefix):].split("?")[0]).resolve()
                if self.static in path.parents and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes(),
                                              {"Content-Type": mimetypes.guess_type(path.name)[0] or "text/plain"})
            raise ValueError(f"Not fetched while printing: {url}")

    return StaticFetcher


def render(html, static_folder):
    """PDF bytes for the page's HTML."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()(static_folder)).write_pdf()
