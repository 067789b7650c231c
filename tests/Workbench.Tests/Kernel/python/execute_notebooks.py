"""Executes notebooks with nbclient through a Jupyter kernel; run by NotebookClientTests.cs.

Usage: python3 execute_notebooks.py <kernel name> <notebooks dir> <out dir> <notebook>...
Each notebook runs in a fresh kernel with the notebooks folder as working directory; the executed copy is written to
<out dir>/<notebook>. Prints one JSON line per notebook: {"notebook", "seconds", "error"}.
"""
import json
import os
import sys
import time

import nbclient
import nbformat


def main(kernel_name, notebooks_dir, out_dir, names):
    failed = False
    for name in names:
        nb = nbformat.read(os.path.join(notebooks_dir, name), as_version=4)
        client = nbclient.NotebookClient(
            nb, kernel_name=kernel_name, timeout=120, resources={"metadata": {"path": notebooks_dir}})
        error = None
        start = time.monotonic()
        try:
            client.execute()
        except Exception as e:  # a cell error, a timeout or a dead kernel: report it, keep the partial notebook
            error = f"{type(e).__name__}: {e}"
            failed = True
        seconds = time.monotonic() - start
        nbformat.write(nb, os.path.join(out_dir, name))
        print(json.dumps({"notebook": name, "seconds": round(seconds, 3), "error": error}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))
