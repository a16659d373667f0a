#!/usr/bin/env bash
# `pytest --nbval` on the whole book three times in a row, as `make test` runs it; reports each run.
# Not part of CI (it takes three times as long); run it before a release or after touching notebooks.
#     MNIST_LESSONS_DATA=/path/to/mnist.npz bench/nbval_three_times.sh
set -uo pipefail
cd "$(dirname "$0")/.."
failed=0
for run in 1 2 3; do
    start=$SECONDS
    if make -s --no-print-directory nbval > "/tmp/nbval_run_$run.log" 2>&1; then
        result="passed"
    else
        result="FAILED (log: /tmp/nbval_run_$run.log)"
        failed=1
    fi
    echo "run $run: $result, $(tail -1 "/tmp/nbval_run_$run.log"), $(( SECONDS - start )) s wall"
done
exit $failed
