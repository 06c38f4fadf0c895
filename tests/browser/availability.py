"""Whether this machine can run the browser tests: Chromium and the Python packages that drive it."""

import importlib
import os

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PACKAGES = {"playwright.sync_api": "playwright", "axe_playwright_python": "axe-playwright-python"}


def why_browser_tests_cannot_run() -> str | None:
    """One line saying what is missing, or None when everything is there."""
    for module, package in PACKAGES.items():
        try:
            importlib.import_module(module)
        except ImportError:
            return f"The {package} package is not installed: browser tests skipped"
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)):
        return f"Chromium not found at {CHROMIUM_PATH}: browser tests skipped"
    return None
