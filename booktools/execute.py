"""Re-run chapter notebooks in place, so their stored outputs match what the code produces.

The strict notebook tests (nbval) compare a fresh run against the outputs stored in each
notebook; after changing a chapter or the package, ``make execute`` refreshes them
(``python -m booktools.execute book/02_reuse.ipynb ...``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path | str, timeout: int = 600) -> None:
    """Execute one notebook with its own folder as working directory and save it."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:  # drop timings left by earlier runs: they only make diffs noisy
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(f"executing {arg}")
        execute(arg)
