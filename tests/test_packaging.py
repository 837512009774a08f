"""The installed package, not the source tree, must carry every data file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA_SUFFIXES = {".tcss", ".mako"}


@pytest.mark.slow
def test_installed_package_ships_data_files(tmp_path: Path) -> None:
    # Run from an empty directory so the source tree is not on sys.path.
    probe = "import json, models, tui; print(json.dumps([models.__file__, tui.__file__]))"
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip("postmortem is not installed in this environment")
    installed = [Path(p).parent for p in json.loads(proc.stdout)]
    if installed[0].parent == ROOT:
        pytest.skip("an editable install uses the source tree itself")
    for package_dir in installed:
        source = ROOT / package_dir.name
        for data in source.rglob("*"):
            if data.suffix in DATA_SUFFIXES or (data.suffix == ".py" and "versions" in data.parts):
                assert (package_dir / data.relative_to(source)).exists(), f"{data} not in the wheel"


@pytest.mark.slow
def test_console_script_works_outside_the_source_tree(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "postmortem"
    if not exe.exists():
        pytest.skip("console script not installed")
    proc = subprocess.run(
        [str(exe), "--db", str(tmp_path / "x.db"), "list", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []
