"""Every setting is read somewhere: no dead configuration."""

from __future__ import annotations

import re
from pathlib import Path

from src.config import Settings

BACKEND = Path(__file__).resolve().parents[2]


def test_every_setting_is_used() -> None:
    sources = [p for p in (BACKEND / "src").rglob("*.py") if p.name != "config.py"]
    sources.append(BACKEND / "gunicorn.conf.py")
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    config_text = (BACKEND / "src" / "config.py").read_text(encoding="utf-8")
    unused = []
    for name in Settings.model_fields:
        pattern = re.compile(rf"\b{name}\b")
        # used by the application, or by a derived property inside config.py
        derived_use = len(pattern.findall(config_text)) > 1
        if not pattern.search(text) and not derived_use:
            unused.append(name)
    assert unused == []
