#!/usr/bin/python3
"""Reference NumPy implementation of the tension-modulated modal string benchmark.

Straightforward researcher-style code: a Python loop over time steps, NumPy
vector operations over modes.  Same model, coefficients, update order and
JSON output as tm_string.cpp (see the comment block there).  The per-step
tension sum is computed from the current state at the top of each step
(the C++ version carries it over from the previous update pass; the numbers
are the same products and sums).

Usage: tm_string.py <float|double> <modes> <fs> <seconds> <repeats>
Prints ONE JSON line on stdout; progress goes to stderr.
"""
import json
import math
import sys
import time

import numpy as np


def build_model(modes, fs, dtype):
    # Nylon guitar B string (SI units).
    A, I, rho, E = 0.5188e-6, 0.141e-12, 1140.0, 5.4e9
    d1, d3, T0, L = 8e-4, 1.4e-5, 60.97, 0.65
    rhoA, EI = rho * A, E * I
    dt = 1.0 / fs
    kappa = E * A / (2.0 * L * rhoA)
    h, xe, xr = 0.005, 0.117, 0.533

    mu = np.arange(1, modes + 1, dtype=np.float64)
    k = mu * math.pi / L
    lam = k * k
    w2 = (EI * lam * lam + T0 * lam) / rhoA
    gam = 0.5 * (d1 + d3 * lam) / rhoA
    wd2 = w2 - gam * gam
    if np.any(wd2 <= 0):
        sys.exit("tm_string.py: overdamped mode")
    wd = np.sqrt(wd2)
    if np.any(wd * dt >= math.pi):
        print("tm_string.py: warning: modes above Nyquist", file=sys.stderr)
    r = np.exp(-gam * dt)
    a1 = 2.0 * r * np.cos(wd * dt)
    a2 = -r * r
    b1 = dt * r * np.sin(wd * dt) / wd
    g = b1 * lam                      # folded once, in double
    tau = kappa * lam / (L / 2.0)
    c = np.sin(k * xr)
    q0 = h * L * np.sin(k * xe) / (k * k * xe * (L - xe))
    return tuple(v.astype(dtype) for v in (a1, a2, g, tau, c, q0))


def render(model, S, dtype):
    a1, a2, g, tau, c, q0 = model
    y = np.zeros(S, dtype=dtype)
    q = q0.copy()          # q^n
    p = q0.copy()          # q^{n-1} = q^0
    if S == 0:
        return y
    y[0] = np.dot(c, q)
    for n in range(1, S):
        s = np.dot(tau, q * q)                 # tension sum
        q_next = a1 * q + a2 * p - (g * s) * q
        p = q
        q = q_next
        y[n] = np.dot(c, q)
    return y


def main(argv):
    if len(argv) != 6 or argv[1] not in ("float", "double"):
        sys.exit("usage: tm_string.py <float|double> <modes> <fs> <seconds> <repeats>")
    precision = argv[1]
    modes, fs, seconds, repeats = int(argv[2]), float(argv[3]), float(argv[4]), int(argv[5])
    if modes < 1 or fs <= 0 or seconds <= 0 or repeats < 1:
        sys.exit("tm_string.py: invalid arguments")
    dtype = np.float32 if precision == "float" else np.float64
    S = int(round(seconds * fs))
    model = build_model(modes, fs, dtype)

    times = []
    checksum = sumsq = None
    y = None
    for rep in range(repeats):
        t0 = time.perf_counter()
        y = render(model, S, dtype)
        t1 = time.perf_counter()
        times.append(t1 - t0)
        yd = y.astype(np.float64)
        cs = float(np.cumsum(yd)[-1]) if S else 0.0        # sequential, like the C++ loop
        ss = float(np.cumsum(yd * yd)[-1]) if S else 0.0
        if checksum is not None and cs != checksum:
            sys.exit("tm_string.py: non-deterministic checksum")
        checksum, sumsq = cs, ss
        print(f"  numpy {precision} rep {rep + 1}/{repeats}: {times[-1]:.6f} s", file=sys.stderr)

    times.sort()
    k = len(times)
    median = times[k // 2] if k % 2 else 0.5 * (times[k // 2 - 1] + times[k // 2])
    audio = S / fs
    num = lambda v: int(v) if float(v).is_integer() else v   # 48000 rather than 48000.0
    out = {
        "impl": "numpy", "precision": precision, "modes": modes, "fs": num(fs),
        "seconds": num(audio), "samples": S, "repeats": repeats,
        "median_s": median, "min_s": times[0], "rtf": audio / median,
        "checksum": checksum, "sumsq": sumsq,
        "y_first": [float(v) for v in y[:4]],
        "y_last": float(y[-1]) if S else 0.0,
    }
    print(json.dumps(out, separators=(",", ":")))


if __name__ == "__main__":
    main(sys.argv)
