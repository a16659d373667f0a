"""Run the whole nbval of the book as other machines would, and print which variants pass.

    MNIST_LESSONS_DATA=/path/to/mnist.npz .venv/bin/python bench/machine_variants.py
    .venv/bin/python bench/machine_variants.py --only avx2 one-thread      # some variants
    .venv/bin/python bench/machine_variants.py --book /tmp/copy/book        # another checkout's book

The committed outputs must not depend on the machine (README, "Writing a chapter"). A contributor's
laptop, Colab or the next CI machine differs from this one in the CPU's instruction sets (oneDNN and
OpenBLAS pick other kernels for them), in the number of threads, and in the BLAS build; each of
those changes the last digits of float arithmetic and every result of training. This script
imitates those differences on this machine with environment variables that the libraries honour,
runs `pytest --nbval` over book/ under each, and checks that no committed notebook changed.
Not part of CI: it takes about as long as the book's nbval per variant.
"""

import argparse
import hashlib
import os
import pathlib
import re
import subprocess
import sys
import time

from measure import nbval_args

ROOT = pathlib.Path(__file__).resolve().parent.parent

# name -> (what it imitates, environment variables, command prefix)
VARIANTS = {
    "native": ("this machine as it is", {}, []),
    "avx2": ("a laptop-class CPU: oneDNN limited to AVX2, OpenBLAS's Haswell kernels",
             {"ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"}, []),
    "one-thread": ("one core: the process pinned to CPU 0, every library on one thread",
                   {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "1",
                    "TF_NUM_INTEROP_THREADS": "1"}, ["taskset", "-c", "0"]),
    "no-onednn": ("TensorFlow's own (Eigen) kernels, as builds without oneDNN use, and OpenBLAS's "
                  "Sandy Bridge (AVX) kernels", {"TF_ENABLE_ONEDNN_OPTS": "0", "OPENBLAS_CORETYPE": "Sandybridge"},
                  []),
    "avx512-core": ("an older server CPU: oneDNN limited to AVX-512 without VNNI or BF16, OpenBLAS's "
                    "SkylakeX kernels", {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE", "OPENBLAS_CORETYPE": "SkylakeX"}, []),
}


def fingerprint(book):
    """A hash of every committed notebook, to prove that no run changed one."""
    digest = hashlib.sha256()
    for path in sorted(book.glob("*.ipynb")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def run(name, book, log_dir):
    """Run nbval over ``book`` under variant ``name``; return (passed, summary line, failed cells, seconds)."""
    _, variables, prefix = VARIANTS[name]
    env = {**os.environ, **variables}
    command = [*prefix, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(book), *nbval_args()]
    start = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    log = log_dir / f"nbval_{name}.log"
    log.write_text(result.stdout + result.stderr)
    lines = result.stdout.strip().splitlines()
    summary = re.sub(r"\x1b\[[0-9;]*m", "", lines[-1]) if lines else "no output"
    failed = sorted(set(re.findall(r"^FAILED \S*?([^/\s]+\.ipynb::Cell \d+)", result.stdout, flags=re.M)))
    return result.returncode == 0, summary, failed, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=VARIANTS, default=list(VARIANTS), help="variants to run")
    parser.add_argument("--book", type=pathlib.Path, default=ROOT / "book", help="the book/ folder to test")
    parser.add_argument("--log-dir", type=pathlib.Path, default=pathlib.Path("/tmp"),
                        help="where to write each variant's pytest log (default /tmp)")
    args = parser.parse_args()
    if not os.environ.get("MNIST_LESSONS_DATA"):
        print("note: MNIST_LESSONS_DATA is not set; the notebooks will load MNIST through Keras.")
    before = fingerprint(args.book)
    results = {}
    for name in args.only:
        print(f"== {name}: {VARIANTS[name][0]}", flush=True)
        results[name] = run(name, args.book, args.log_dir)
        passed, summary, failed, seconds = results[name]
        print(f"   {'passed' if passed else 'FAILED'} in {seconds / 60:.1f} min: {summary}", flush=True)
        for cell in failed:
            print(f"   failed: {cell}", flush=True)
    unchanged = fingerprint(args.book) == before
    print("\nvariant       result  minutes  pytest summary")
    for name, (passed, summary, _failed, seconds) in results.items():
        print(f"{name:13s} {'passed' if passed else 'FAILED':7s} {seconds / 60:7.1f}  {summary}")
    print(f"committed notebooks unchanged by the runs: {'yes' if unchanged else 'NO'}")
    sys.exit(0 if unchanged and all(passed for passed, *_ in results.values()) else 1)


if __name__ == "__main__":
    main()
