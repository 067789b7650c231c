"""jupyter_kernel_test's conformance suite against the Workbench C# kernel.

Run by KernelConformanceTests.cs as `python3 -m unittest -v kernel_conformance.py` with JUPYTER_PATH pointing at a
prefix where `workbench kernel install` wrote the kernelspec. Environment:
  WB_KERNEL_NAME     kernelspec name (default workbench-csharp)
  WB_RESULTS_JSON    file that receives one JSON line per test outcome (subtests included)
"""
import json
import os
import unittest

import jupyter_kernel_test as jkt  # the module, not the class: unittest would otherwise also run the base class

PAGER_SKIP = "the Workbench kernel has no pager (no page payloads)"


class _Recorder:
    """Forwards to unittest's result object and appends each outcome to WB_RESULTS_JSON."""

    def __init__(self, inner, path):
        self._inner = inner
        self._path = path

    def _write(self, test, outcome, detail=""):
        with open(self._path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"test": test.id(), "outcome": outcome, "detail": detail}) + "\n")

    def _format(self, err):
        return self._inner._exc_info_to_string(err, self._current) if err else ""

    def startTest(self, test):
        self._current = test
        self._inner.startTest(test)

    def addSuccess(self, test):
        self._write(test, "ok")
        self._inner.addSuccess(test)

    def addFailure(self, test, err):
        self._write(test, "fail", self._format(err))
        self._inner.addFailure(test, err)

    def addError(self, test, err):
        self._write(test, "error", self._format(err))
        self._inner.addError(test, err)

    def addSkip(self, test, reason):
        self._write(test, "skip", reason)
        self._inner.addSkip(test, reason)

    def addSubTest(self, test, subtest, err):
        if err is None:
            self._write(subtest, "ok")
        elif issubclass(err[0], test.failureException):
            self._write(subtest, "fail", self._format(err))
        else:
            self._write(subtest, "error", self._format(err))
        self._inner.addSubTest(test, subtest, err)

    def __getattr__(self, name):
        return getattr(self._inner, name)


class WorkbenchKernelTests(jkt.KernelTests):
    kernel_name = os.environ.get("WB_KERNEL_NAME", "workbench-csharp")
    language_name = "csharp"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("oops");'

    completion_samples = [
        {"text": "Console.Wri", "matches": {"Write", "WriteLine"}},
        {"text": "Math.Ab", "matches": {"Abs"}},
        {"text": "var answer = 42;\nansw", "matches": {"answer"}},
    ]

    complete_code_samples = ["var x = 1;", "Console.WriteLine(1);", "6 * 7"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "Console.WriteLine(", "var s = \"\"\""]
    invalid_code_samples = ["}", "var = ;"]

    code_generate_error = 'throw new InvalidOperationException("boom");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"ab" + "c"', "result": "abc"},
    ]
    code_display_data = [
        {"code": "display(42);", "mime": "text/plain"},
    ]

    # Matches one of code_execute_result; Jupyter's search pattern is a glob.
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Console.WriteLine"
    code_clear_output = "clear_output();"

    def test_pager(self):
        raise unittest.SkipTest(PAGER_SKIP)

    def run(self, result=None):
        path = os.environ.get("WB_RESULTS_JSON")
        if path and result is not None:
            result = _Recorder(result, path)
        return super().run(result)


def _write_inventory():
    """First line of WB_RESULTS_JSON: every test the base class defines, so the caller can tell none went missing."""
    path = os.environ.get("WB_RESULTS_JSON")
    if path:
        names = sorted(n for n in dir(jkt.KernelTests) if n.startswith("test") and callable(getattr(jkt.KernelTests, n)))
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps({"inventory": names, "jupyter_kernel_test": jkt.__version__}) + "\n")


_write_inventory()

if __name__ == "__main__":
    unittest.main(verbosity=2)
