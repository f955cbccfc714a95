"""No tracked file names a path of the machine it was written on (issue #8.8)."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MACHINE_PATHS = re.compile(r"/work/|/root/|/home/\w+/|shared/seed/")


def test_no_tracked_file_contains_a_build_machine_path():
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    me = Path(__file__).relative_to(ROOT).as_posix()
    found = []
    for name in files:
        path = ROOT / name
        if name == me or not path.is_file() or path.suffix in (".png", ".woff2", ".xlsx"):
            continue
        text = path.read_text(errors="ignore")
        found += [f"{name}: {m.group(0)}" for m in MACHINE_PATHS.finditer(text)]
    assert not found, found
