"""Mutation testing of the package: which plausible wrong versions of its code the fast lane misses.

    MNIST_LESSONS_DATA=/path/to/mnist.npz .venv/bin/python bench/mutation.py                     # every module
    MNIST_LESSONS_DATA=/path/to/mnist.npz .venv/bin/python bench/mutation.py --module calibration
    .venv/bin/python bench/mutation.py --module plots --module transforms --show                   # and the diffs

mutmut 3 (requirements.txt) changes one thing at a time in the package's code (a ``<`` into
``<=``, a ``+ 1`` into ``+ 2``, an argument dropped, a string altered: a *mutant*) and runs the
tests that reach the changed function, the fast lane's (``make check``'s tests, without those
marked slow, browser or notebook). A mutant the tests fail on is *killed*; one they pass is a
wrong version of the package nobody would be told about. Some mutants cannot change any result
(``max(a, b)`` of two equal numbers, a default that every caller overrides): those are listed,
each with a one-line reason, in ``bench/mutation_equivalent.txt``, and are left out of the score.

Per module this prints the mutants made, killed, surviving (``no tests``: no fast-lane test
reaches the function at all, counted as surviving), equivalent, the score
``killed / (made - equivalent)``, and the total and the time taken. It runs in a temporary copy of
the repository (mutmut writes a ``mutants/`` folder there, never here), under ``nice -n 10``, so
that it leaves the cores to whoever else works on the machine. A benchmark, not part of
``make test``: see the README ("Mutation testing") for how long it takes.
"""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
EQUIVALENT = ROOT / "bench" / "mutation_equivalent.txt"
PACKAGE = "mnist_lessons"
# The modules issue 25 asks to keep at 90 % or more; the rest are reported too.
LISTED = ("calibration", "transforms", "attribution", "preprocess", "numpy_net", "permutation", "drawing",
          "activations", "checks", "exercises", "classroom", "plots")
TARGET = 0.90
# What the tests read outside the package and tests/ (mutmut runs them inside mutants/).
ALSO_COPY = ("book", "bench", ".ci", "README.md", "Makefile", "_config.yml", "_toc.yml", "requirements.txt")
# The fast lane's selection (the Makefile's CHECK_ARGS, without the doctests: mutmut selects tests by name).
# test_packaging lists the package's files, which mutmut's records beside them would fail.
FAST_LANE = ["-m", "not slow and not browser and not notebook", "-p", "no:cacheprovider", "-q",
             "--ignore=tests/test_packaging.py"]
KILLED = {"killed", "timeout", "caught by type check"}
# --sample: the last digits of the mutant numbers tested, in the order they are added (a fixed order,
# so that a 10 % sample is part of every larger one).
SAMPLE_DIGITS = "7351902846"
# mutmut's exit codes for those (mutmut.stats.status_by_exit_code).
KILLED_CODES = {1, 3, 24, -24, 36, 37, 152, 255}


def group_of(module):
    """The reported group: a listed package (``plots``) or module (``calibration``), else the module."""
    head = module.split(".")[0]
    return head if head in LISTED else module


def read_equivalent(path=EQUIVALENT):
    """The equivalent mutants: {mutant name: reason}, from lines ``name  # reason`` (blank and # lines skipped)."""
    equivalent = {}
    if not path.exists():
        return equivalent
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition("#")
        name, reason = name.strip(), reason.strip()
        if not reason:
            raise ValueError(f"{path.name}, line {number}: {name} has no reason; write it after '#'")
        equivalent[name] = reason
    return equivalent


def copy_repository(target):
    """The last commit into ``target``, with the package and its tests as they are now, edits included.

    The rest (the chapters, the README) comes from the commit, so that a chapter someone is
    editing right now cannot stop the run; the package and the tests are the ones being measured.
    """
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    files = subprocess.run(["git", "ls-files", "-z", "--", PACKAGE, "tests"], cwd=ROOT, capture_output=True,
                           check=True, text=True).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def refresh_kept(target):
    """A second run in a --keep folder: bring in the package and tests as they are now, and retest survivors.

    mutmut regenerates the mutants of functions whose code changed, but it keeps every verdict it
    has and never looks at the tests again: so the tests are copied in again (also into its
    ``mutants/`` folder, where they run), and every verdict that is not a kill is cleared, so
    that the run retests exactly those. Killed mutants stay killed, which is right as long as
    tests were only added; after weakening or deleting a test, start a fresh folder.
    """
    copy_repository(target)
    if (target / "mutants").exists():          # the tests run from there, not from target/tests
        shutil.copytree(ROOT / "tests", target / "mutants" / "tests", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    cleared = 0
    for meta in (target / "mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        again = [name for name, code in codes.items() if code is not None and code not in KILLED_CODES]
        for name in again:
            codes[name] = None
        cleared += len(again)
        meta.write_text(json.dumps(data, indent=4))
    return cleared


def write_config(target, modules, ignore=()):
    """mutmut's settings, in the copy's setup.cfg (the repository's pyproject.toml stays as it is)."""
    patterns = []
    for module in modules:
        base = f"{PACKAGE}/{module.replace('.', '/')}"
        patterns += [f"{base}.py", f"{base}/*"] if (ROOT / base).is_dir() or not (ROOT / f"{base}.py").exists() \
            else [f"{base}.py"]
    # forkserver: each mutant's tests run in a process forked from one that has not run TensorFlow;
    # forked from mutmut's own process (which ran the whole fast lane), TensorFlow's thread pools
    # deadlock, and those mutants would be reported as timeouts, i.e. as killed.
    lines = ["[mutmut]", f"source_paths = {PACKAGE}", "pytest_add_cli_args_test_selection = tests",
             "process_isolation = forkserver",
             "also_copy ="] + [f"    {name}" for name in ALSO_COPY if (target / name).exists()]
    lines += ["pytest_add_cli_args ="] + [f"    {arg}" for arg in FAST_LANE + [f"--ignore={path}" for path in ignore]]
    if patterns:
        lines += ["only_mutate ="] + [f"    {pattern}" for pattern in patterns]
    (target / "setup.cfg").write_text("\n".join(lines) + "\n", encoding="utf-8")


def results(target):
    """{mutant name: status} from mutmut's records in ``target/mutants``."""
    from mutmut.stats import status_by_exit_code

    statuses = {}
    for meta in (target / "mutants").rglob("*.py.meta"):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            statuses[name] = status_by_exit_code[code]
    return statuses


def module_name(mutant):
    """The module a mutmut 3 mutant name belongs to (``mnist_lessons.calibration.x_f__mutmut_3`` -> calibration)."""
    head = mutant.split("__mutmut_")[0]
    parts = head.split(".")
    # The last part is the function (``x_name``) or a method (``xǁClassǁname``).
    return ".".join(parts[1:-1]) or PACKAGE


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", default=[],
                        help="a module or package under mnist_lessons (calibration, plots, plots.curves); "
                             "repeat for several; default: the whole package")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2, the cores)")
    parser.add_argument("--ignore", action="append", default=[], metavar="TEST_FILE",
                        help="leave out a test file (one that a change in progress elsewhere breaks)")
    parser.add_argument("--show", action="store_true", help="print the diff of every surviving mutant")
    parser.add_argument("--keep", type=pathlib.Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--sample", type=int, default=100, metavar="PERCENT", choices=range(10, 101, 10),
                        help="test only this share of the mutants (10, 20, ... 100; default 100): those whose "
                             "number ends in one of the first PERCENT/10 digits of " + SAMPLE_DIGITS + ", every "
                             "tenth mutant of every function for 10; the score is then an estimate, printed "
                             "with its 95 %% interval (use a fresh folder)")
    parser.add_argument("--report", action="store_true",
                        help="run nothing: print the table of the --keep folder's verdicts again (after listing "
                             "equivalent mutants, say)")
    args = parser.parse_args(argv)
    if args.report:
        if args.keep is None or not (args.keep / "mutants").exists():
            parser.error("--report reads a folder of an earlier run: give it with --keep DIR")
        report(results(args.keep), read_equivalent(), 0.0)
        return 0
    for module in args.module:
        base = ROOT / PACKAGE / module.replace(".", "/")
        if not (base.is_dir() or base.with_suffix(".py").is_file()):
            parser.error(f"--module {module}: no {base.relative_to(ROOT)}(.py); name a module under {PACKAGE}/")
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    equivalent = read_equivalent()

    work = args.keep or pathlib.Path(tempfile.mkdtemp(prefix="mnist-lessons-mutation-"))
    work.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    try:
        digits = SAMPLE_DIGITS[:args.sample // 10]
        # mutmut takes fnmatch patterns of mutant names: those numbered ...7 (and ...3, ...).
        sample = [] if args.sample == 100 else [f"*__mutmut_*[{digits}]"]
        if not (work / PACKAGE).exists():
            copy_repository(work)
        else:
            print(f"{work}: the package and tests copied in again; "
                  f"{refresh_kept(work)} surviving mutants to test again")
            if sample:      # named mutants are always retested: name only the sample's untested ones
                sample = [name for name, status in results(work).items()
                          if status == "not checked" and name[-1] in digits]
        write_config(work, args.module, args.ignore)
        mutmut = pathlib.Path(sys.executable).with_name("mutmut")
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        log = work / "mutmut.log"
        command = ["nice", "-n", "10", str(mutmut), "run", "--max-children", str(args.jobs)] + sample
        with open(log, "w") as out:
            if args.sample < 100 and not sample:
                code = 0                        # a second run of a sample: every mutant of it already killed
            else:
                code = subprocess.run(command, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
        seconds = time.monotonic() - start
        statuses = results(work)
        # Exit code 0, or stopped with Ctrl-C (what was tested so far is still reported).
        if code not in (0, 1, -2, 130) or not statuses or set(statuses.values()) == {"not checked"}:
            print(log.read_text()[-4000:])
            print(f"mutmut failed (exit code {code}); its log is above")
            return 1
        report(statuses, equivalent, seconds)
        if args.show:
            for name in sorted(n for n, s in statuses.items()
                               if s not in KILLED | {"not checked"} and n not in equivalent):
                diff = subprocess.run([str(mutmut), "show", name], cwd=work, capture_output=True, text=True)
                print(diff.stdout)
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def wilson_interval(killed, tried, z=1.96):
    """The 95 % interval of a share estimated from a sample (Wilson's score interval).

    >>> [round(x, 3) for x in wilson_interval(90, 100)]
    [0.826, 0.945]
    """
    share = killed / tried
    centre = (share + z * z / (2 * tried)) / (1 + z * z / tried)
    half = z * ((share * (1 - share) / tried + z * z / (4 * tried * tried)) ** 0.5) / (1 + z * z / tried)
    return centre - half, centre + half


def report(statuses, equivalent, seconds):
    """Print the table per module (and the total), stale equivalent entries, the survivors, the time."""
    keys = ("made", "killed", "surviving", "no tests", "equivalent", "not run")
    rows = {}
    for name, status in statuses.items():
        row = rows.setdefault(group_of(module_name(name)), dict.fromkeys(keys, 0))
        row["made"] += 1
        if status in KILLED:
            row["killed"] += 1
        elif name in equivalent:
            row["equivalent"] += 1
        elif status == "not checked":          # the run was stopped before this mutant's turn
            row["not run"] += 1
        else:
            row["surviving"] += 1
            row["no tests"] += status == "no tests"
    total = {key: sum(row[key] for row in rows.values()) for key in keys}
    print(f"{'module':<24}{'made':>6}{'killed':>8}{'surviving':>11}{'(no tests)':>12}{'equivalent':>12}"
          f"{'not run':>9}{'score':>8}")
    for group, row in sorted(rows.items()) + [("total", total)]:
        tried = row["made"] - row["equivalent"] - row["not run"]
        score = row["killed"] / tried if tried else float("nan")
        flag = "  below 90 %" if group in LISTED and score < TARGET else ""
        if row["not run"] and tried:           # a sample (--sample) or a stopped run: an estimate
            low, high = wilson_interval(row["killed"], tried)
            flag += f"  (estimate from the {tried} tested: 95 % interval {low:.1%} to {high:.1%})"
        print(f"{group:<24}{row['made']:>6}{row['killed']:>8}{row['surviving']:>11}{row['no tests']:>12}"
              f"{row['equivalent']:>12}{row['not run']:>9}{score:>8.1%}{flag}")
    stale = sorted(name for name in equivalent if statuses.get(name) in KILLED)
    for name in stale:
        print(f"listed as equivalent but killed (remove it from {EQUIVALENT.name}): {name}")
    surviving = sorted(n for n, s in statuses.items() if s not in KILLED | {"not checked"} and n not in equivalent)
    if surviving:
        print(f"surviving ({len(surviving)}; see each with `mutmut show NAME` in a --keep folder, or --show):")
        for name in surviving:
            print(f"  {name}  [{statuses[name]}]")
    if seconds:
        print(f"took {seconds / 60:.1f} minutes")


if __name__ == "__main__":
    sys.exit(main())
