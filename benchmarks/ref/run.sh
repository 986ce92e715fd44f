#!/usr/bin/env bash
# Reference runs for the tension-modulated modal string benchmark.
#
# Builds tm_string.cpp (only when the source or the flags changed) into
# benchmarks/ref/build/ (git-ignored), then runs
#   C++ double, C++ float   (--seconds audio, --repeats runs each)
#   NumPy double            (--py-seconds audio, --py-repeats runs)
# and prints one JSON line per run on stdout.  Progress and the consistency
# checks go to stderr.
#
# Consistency checks (after the runs; exit 4 if one fails):
#   * C++ double re-run at the NumPy duration: checksum and sumsq must agree
#     with NumPy double to 1e-8 relative (observed ~1e-11).
#   * C++ float vs C++ double: sumsq must agree to 2e-3 relative.  (The plain
#     checksum sum(y) is NOT comparable across precisions: it is a heavily
#     cancelling sum and float-rounded a1/a2 detune the low modes; see notes.)
#
# Usage: run.sh [--modes N] [--fs HZ] [--seconds S] [--repeats R]
#               [--py-seconds S] [--py-repeats R] [--no-numpy]
#               [--scheme two-step|conservative] [--precisions "double float"]
# --scheme conservative runs the real-time voice's update (see tm_string.cpp);
# NumPy implements two-step only and is skipped for it.  The float-vs-double
# check needs both precisions.
# Environment: CXX (default g++), PYTHON (default /usr/bin/python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$here/build"
src="$here/tm_string.cpp"
bin="$build/tm_string"

modes=50
fs=48000
seconds=10
repeats=7
py_seconds=2
py_repeats=3
numpy=1
scheme=two-step
precisions="double float"

die() { echo "run.sh: error: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --modes)      modes="${2:?}"; shift 2 ;;
        --fs)         fs="${2:?}"; shift 2 ;;
        --seconds)    seconds="${2:?}"; shift 2 ;;
        --repeats)    repeats="${2:?}"; shift 2 ;;
        --py-seconds) py_seconds="${2:?}"; shift 2 ;;
        --py-repeats) py_repeats="${2:?}"; shift 2 ;;
        --no-numpy)   numpy=0; shift ;;
        --scheme)     scheme="${2:?}"; shift 2 ;;
        --precisions) precisions="${2:?}"; shift 2 ;;
        -h|--help)    usage ;;
        *)            echo "run.sh: unknown argument: $1" >&2; usage ;;
    esac
done

[ "$scheme" = two-step ] || numpy=0
CXX="${CXX:-g++}"
PYTHON="${PYTHON:-/usr/bin/python3}"
cxxflags=(-O3 -march=native -std=c++17 -fopenmp-simd)

# --- tool checks -------------------------------------------------------------
command -v "$CXX" >/dev/null 2>&1 || die "C++ compiler '$CXX' not found (install g++, e.g. apt-get install -y g++)"
command -v "$PYTHON" >/dev/null 2>&1 || die "python '$PYTHON' not found (needed for NumPy run and JSON checks; apt-get install -y python3)"
if [ "$numpy" = 1 ]; then
    "$PYTHON" -c 'import numpy' >/dev/null 2>&1 || die "NumPy not importable by $PYTHON (apt-get update && apt-get install -y python3-numpy)"
fi

# --- build (only when needed) -------------------------------------------------
mkdir -p "$build"
stamp="$build/tm_string.flags"
want="$("$CXX" --version | head -n1) ${cxxflags[*]}"
if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "run.sh: building $bin ($CXX ${cxxflags[*]})" >&2
    "$CXX" "${cxxflags[@]}" -o "$bin.tmp" "$src" || die "compilation failed"
    mv -f "$bin.tmp" "$bin"
    printf '%s\n' "$want" > "$stamp"
else
    echo "run.sh: $bin is up to date" >&2
fi

# --- benchmark runs ----------------------------------------------------------
cpp_double=""
cpp_float=""
for precision in $precisions; do
    case "$precision" in double|float) ;; *) die "unknown precision '$precision': allowed are double, float" ;; esac
    echo "run.sh: C++ $precision ($scheme): $modes modes, fs=$fs, ${seconds}s audio, $repeats repeats" >&2
    line="$("$bin" "$precision" "$modes" "$fs" "$seconds" "$repeats" "$scheme")"
    echo "$line"
    if [ "$precision" = double ]; then cpp_double="$line"; else cpp_float="$line"; fi
done
np_double=""
if [ "$numpy" = 1 ]; then
    echo "run.sh: NumPy double: $modes modes, fs=$fs, ${py_seconds}s audio, $py_repeats repeats" >&2
    np_double="$("$PYTHON" "$here/tm_string.py" double "$modes" "$fs" "$py_seconds" "$py_repeats")"
    echo "$np_double"
fi

# --- consistency checks --------------------------------------------------------
cpp_ref=""
if [ "$numpy" = 1 ]; then
    cpp_ref="$("$bin" double "$modes" "$fs" "$py_seconds" 1 2>/dev/null)"
fi
"$PYTHON" - "$cpp_double" "$cpp_float" "$np_double" "$cpp_ref" <<'EOF' || exit 4
import json, sys
d, f, n, r = (json.loads(a) if a else None for a in sys.argv[1:5])
if d is None or f is None:
    sys.exit(0)    # a single precision: nothing to cross-check
def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300)
ok = True
def check(name, val, tol):
    global ok
    good = val <= tol
    ok &= good
    print(f"run.sh: check {name}: rel diff {val:.3g} (tol {tol:g}) {'OK' if good else 'FAIL'}",
          file=sys.stderr)
check("float vs double sumsq", rel(d["sumsq"], f["sumsq"]), 2e-3)
print(f"run.sh: info  float vs double checksum: rel diff {rel(d['checksum'], f['checksum']):.3g}"
      " (not a pass/fail criterion)", file=sys.stderr)
if n:
    check("numpy vs cpp double checksum", rel(n["checksum"], r["checksum"]), 1e-8)
    check("numpy vs cpp double sumsq", rel(n["sumsq"], r["sumsq"]), 1e-8)
    print(f"run.sh: ratio cpp_double/numpy_double rtf = {d['rtf'] / n['rtf']:.1f}", file=sys.stderr)
print(f"run.sh: ratio cpp_float/cpp_double rtf = {f['rtf'] / d['rtf']:.2f}", file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
