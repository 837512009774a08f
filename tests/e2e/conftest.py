"""Fixtures for end-to-end tests in a pseudo-terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.terminal import Terminal


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def term(home: Path, tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    """Start the app: ``term(args, size=(80, 24))``; every one started is closed at the end."""
    started: list[Terminal] = []

    def start(args: list[str] | None = None, **kwargs: Any) -> Terminal:
        kwargs.setdefault("db", tmp_path / "pm.db")
        t = Terminal(args or [], home=home, **kwargs)
        started.append(t)
        return t

    yield start
    for t in started:
        t.close()
