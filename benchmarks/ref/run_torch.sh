#!/usr/bin/env bash
# PyTorch reference training-step times for the deep SSM (torch_ssm.py), deep Koopman (torch_koopman.py) and FNO
# (torch_fno.py, also the per-frame inference time of the autoregressive FNO) models, and the tutorial neural ODE
# (torch_node.py: always float64, --batch = windows per step).
#
# Prints the scripts' JSON lines on stdout (one per model variant; the fastest variant of each model has "best": true).
# Progress and self-checks go to stderr.
#
# Usage: run_torch.sh [--threads N] [--batch B] [--steps S] [--warmup W] [--dtype float32|float64]
#                     [--models ssm,koopman] [--omp-wait-policy passive|active|default] [--allow-reference-blas]
#                     [-- extra args for both scripts, e.g. --variant fft or --frames 200]
#
# --omp-wait-policy (default: $OMP_WAIT_POLICY, else passive) sets libgomp's OMP_WAIT_POLICY. With libgomp's default
#   (spinning) a loaded 2-core machine stalls every OpenMP barrier: run the C# side under the same policy for a fair ratio.
#
# Requirements (Debian/Ubuntu): python3-torch (torch 1.13 on bookworm) and an optimised BLAS: libopenblas0-openmp
#   (preferred) or libopenblas0-pthread. CI: apt-get install -y python3-torch libopenblas0-openmp
#   Debian's torch is built with BLAS_INFO=generic and calls whatever libblas.so.3 resolves to; with only the reference
#   BLAS (package libblas3, pulled in by python3-torch) its matmuls run ~15x slower than with OpenBLAS, which would make
#   the comparison with TorchSharp's MKL-backed libtorch meaningless. This script puts OpenBLAS first on LD_LIBRARY_PATH
#   for the Python process only (the system's libblas.so.3 alternative is not touched) and refuses to run on reference
#   BLAS unless --allow-reference-blas is given.
#
# Environment: PYTHON (default /usr/bin/python3); TORCH_BLAS_DIR: a directory holding libblas.so.3 to use instead of the
#   Debian OpenBLAS locations.
#
# Exit codes: 0 ok; 2 usage; 3 missing python3-torch or optimised BLAS; 4 a self-check failed (variants disagree or
#   the parameter count is wrong); 5 the loss did not decrease over the timed steps.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-/usr/bin/python3}"
threads=2
batch=25
steps=50
warmup=5
dtype=float32
models="ssm,koopman"
allow_ref=0
wait_policy="${OMP_WAIT_POLICY:-passive}"
extra=()

die() { echo "run_torch.sh: error: $1" >&2; exit "${2:-2}"; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
    --threads) threads="${2:?}"; shift 2 ;;
    --batch) batch="${2:?}"; shift 2 ;;
    --steps) steps="${2:?}"; shift 2 ;;
    --warmup) warmup="${2:?}"; shift 2 ;;
    --dtype) dtype="${2:?}"; shift 2 ;;
    --models) models="${2:?}"; shift 2 ;;
    --allow-reference-blas) allow_ref=1; shift ;;
    --omp-wait-policy) wait_policy="${2:?}"; shift 2 ;;
    -h|--help) usage ;;
    --) shift; extra=("$@"); break ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done

IFS=',' read -r -a list <<< "$models"
for m in "${list[@]}"; do
    case "$m" in
    ssm|koopman|fno|node) ;;
    *) die "unknown model '$m' (allowed: ssm, koopman, fno, node)" ;;
    esac
done

[ -x "$python" ] || die "python interpreter '$python' not found (set PYTHON=...)" 3
if ! "$python" -c 'import torch' 2>/dev/null; then
    die "PyTorch is not importable by $python. Install the Debian package: apt-get update && apt-get install -y python3-torch" 3
fi

# Optimised BLAS for torch's generic-BLAS matmuls, for this process tree only.
blas_dir="${TORCH_BLAS_DIR:-}"
if [ -z "$blas_dir" ]; then
    # OpenMP flavour first: it shares torch's libgomp thread pool instead of adding a second pool of spinning threads
    # (measured here: lower Koopman step times in 3 of 4 alternating runs).
    for d in /usr/lib/x86_64-linux-gnu/openblas-openmp /usr/lib/x86_64-linux-gnu/openblas-pthread \
             /usr/lib/aarch64-linux-gnu/openblas-openmp /usr/lib/aarch64-linux-gnu/openblas-pthread; do
        if [ -e "$d/libblas.so.3" ]; then blas_dir="$d"; break; fi
    done
fi
if [ -n "$blas_dir" ]; then
    [ -e "$blas_dir/libblas.so.3" ] || die "TORCH_BLAS_DIR=$blas_dir has no libblas.so.3" 3
    export LD_LIBRARY_PATH="$blas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
export PYTHONDONTWRITEBYTECODE=1
export OPENBLAS_NUM_THREADS="$threads" BLIS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads"
case "$(echo "$wait_policy" | tr 'A-Z' 'a-z')" in
passive|active) export OMP_WAIT_POLICY="$(echo "$wait_policy" | tr 'a-z' 'A-Z')" ;;
default) unset OMP_WAIT_POLICY ;;
*) die "--omp-wait-policy must be passive, active or default" ;;
esac

blas="$(cd "$here" && "$python" -c 'import torch_common as tc, torch; torch.ones(2, 2) @ torch.ones(2, 2); print(tc.blas_kind(tc.blas_info()))' 2>/dev/null || echo unknown)"
echo "run_torch.sh: torch $("$python" -c 'import torch; print(torch.__version__)'), BLAS: $blas${blas_dir:+ ($blas_dir)}, threads $threads, OMP_WAIT_POLICY ${OMP_WAIT_POLICY:-default}" >&2
if [ "$blas" = "reference" ] && [ "$allow_ref" -eq 0 ]; then
    die "torch would use the reference BLAS (libblas3), ~15x slower matmuls than OpenBLAS: the ratio to TorchSharp
(MKL) would be meaningless. Install an optimised BLAS: apt-get install -y libopenblas0-openmp
(or point TORCH_BLAS_DIR at a directory holding an optimised libblas.so.3), or pass --allow-reference-blas." 3
fi

status=0
for m in "${list[@]}"; do
    rc=0
    (cd "$here" && "$python" "torch_$m.py" --threads "$threads" --batch "$batch" --steps "$steps" --warmup "$warmup" \
        --dtype "$dtype" --omp-wait-policy "${OMP_WAIT_POLICY:-default}" ${extra[@]+"${extra[@]}"}) || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "run_torch.sh: torch_$m.py exited with $rc" >&2
        [ "$status" -eq 0 ] && status=$rc
    fi
done
exit "$status"
