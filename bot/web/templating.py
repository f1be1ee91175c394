"""The Jinja2 templates for the demo page and the staff console (autoescaping on)."""

from pathlib import Path

from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
