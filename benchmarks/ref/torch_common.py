"""Shared harness for the PyTorch reference training-step benchmarks (torch_ssm.py, torch_koopman.py).

What one "training step" is (identical for every model and variant, and the same work PhysMod's Trainer does):

    opt.zero_grad(set_to_none=True)
    loss = model.loss(batch)                        # forward
    loss.backward()                                 # backward
    clip_grad_norm_(params, 1.0)                    # optax clip_by_global_norm(1.0)
    opt.step()                                      # optax adamw(1e-3, b1 .9, b2 .999, eps 1e-8, weight_decay 1e-4)

torch.optim.AdamW matches optax.adamw: torch decays p <- p(1 - lr wd) before p <- p - lr m̂/(√v̂ + eps), optax adds wd p to
the Adam direction before scaling by -lr; both use the pre-update p, so the update is the same. clip_grad_norm_ scales by
c/(‖g‖ + 1e-6) clamped at 1 (optax: c/‖g‖ when ‖g‖ ≥ c); the cost is the same (one norm per tensor, one scale per tensor).
The learning rate is held constant (a schedule costs one scalar per step).

Each step is timed with time.perf_counter() (CPU tensors are synchronous, so no explicit sync is needed); the loss value is
read after the clock stops. Output is one JSON line per variant on stdout; progress and checks go to stderr.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time


def _pre_option(argv, name, default):
    """An option's value from argv before torch (and the libgomp / BLAS it links) is loaded: libgomp reads OMP_WAIT_POLICY
    and OpenBLAS reads OPENBLAS_NUM_THREADS once, at load time (torch.set_num_threads does not reach a generic BLAS)."""
    for i, a in enumerate(argv):
        if a == name and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    return default


_threads = _pre_option(sys.argv[1:], "--threads", "2")
for _var in ("OPENBLAS_NUM_THREADS", "BLIS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, _threads)
# OpenMP wait policy. libgomp's default spins between parallel regions; on a loaded machine (another process on one of
# the 2 cores) a descheduled team member then stalls every barrier: measured here 0.5-5.7 s per SSM step with 2 threads
# vs 0.14-0.36 s with PASSIVE. TorchSharp's libtorch uses libgomp too, so run the C# side under the same policy.
_wait = _pre_option(sys.argv[1:], "--omp-wait-policy", os.environ.get("OMP_WAIT_POLICY", "passive")).lower()
if _wait in ("passive", "active"):
    os.environ["OMP_WAIT_POLICY"] = _wait.upper()
elif _wait == "default":
    os.environ.pop("OMP_WAIT_POLICY", None)

try:
    import torch
except ImportError:  # pragma: no cover - reported by run_torch.sh as well
    sys.stderr.write("torch is not importable: install the Debian package python3-torch "
                     "(apt-get install -y python3-torch) and run with /usr/bin/python3\n")
    sys.exit(3)

# Problem size of the tutorial (spec §7.1, §7.2): batch 25 trajectories of T = 100 frames of W = 101 points × C = 2 channels.
FRAMES = 100
GRID = 101
CHANNELS = 2

LEARNING_RATE = 1e-3
WEIGHT_DECAY = 1e-4
CLIP_NORM = 1.0


def parse_args(description, variants, default_variant="all"):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2: this machine's cores)")
    p.add_argument("--batch", type=int, default=25, help="trajectories per batch (default 25)")
    p.add_argument("--steps", type=int, default=50, help="timed training steps (default 50)")
    p.add_argument("--warmup", type=int, default=5, help="untimed steps before timing (default 5)")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--frames", type=int, default=FRAMES, help="T (default 100)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--variant", choices=list(variants) + ["all"], default=default_variant,
                   help="implementation variant (default: %s)" % default_variant)
    p.add_argument("--omp-wait-policy", choices=["passive", "active", "default"], type=str.lower,
                   default=os.environ.get("OMP_WAIT_POLICY", "passive").lower(),
                   help="OMP_WAIT_POLICY for libgomp (default: $OMP_WAIT_POLICY, else passive); read before torch loads")
    p.add_argument("--foreach", choices=["auto", "on", "off"], default="on",
                   help="AdamW multi-tensor (foreach) kernels (default on: the faster choice here)")
    args = p.parse_args()
    if args.threads < 1 or args.batch < 1 or args.steps < 2 or args.warmup < 0 or args.frames < 2:
        p.error("need --threads ≥ 1, --batch ≥ 1, --steps ≥ 2, --warmup ≥ 0, --frames ≥ 2")
    return args


def setup(args):
    """Threads, dtype and seed. Returns the torch dtype."""
    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)  # no inter-op parallelism is used by these eager graphs
    except RuntimeError:
        pass
    torch.manual_seed(args.seed)
    torch.ones(2, 2) @ torch.ones(2, 2)  # load the BLAS so that it can be identified
    kind = blas_kind(blas_info())
    if kind == "reference":
        log("WARNING: torch is calling the reference BLAS (libblas3): matmuls ~15x slower than OpenBLAS. "
            "Install libopenblas0-openmp or use run_torch.sh (puts OpenBLAS on LD_LIBRARY_PATH).")
    log(f"torch {torch.__version__}, threads {torch.get_num_threads()}, BLAS {kind}, "
        f"OMP_WAIT_POLICY {os.environ.get('OMP_WAIT_POLICY', 'default')}, dtype {args.dtype}, batch {args.batch}, "
        f"T {args.frames}, steps {args.steps} (+{args.warmup} warmup)")
    return {"float32": torch.float32, "float64": torch.float64}[args.dtype]


def synthetic_trajectories(batch, frames, grid, channels, dtype, seed):
    """Seeded smooth test data (B, T, W, C): a few damped standing-wave modes per trajectory, channel 0 the displacement,
    channel 1 its (scaled) time derivative; values of order 1. The timing does not depend on the values, but a learnable
    signal makes 'the loss decreases' a meaningful check."""
    g = torch.Generator().manual_seed(seed)
    modes = 8
    m = torch.arange(1, modes + 1, dtype=torch.float64)                                       # (M)
    x = torch.linspace(0, 1, grid, dtype=torch.float64)                                       # (W)
    shapes = torch.sin(math.pi * m[:, None] * x[None, :])                                     # (M, W)
    amp = torch.randn(batch, modes, generator=g, dtype=torch.float64) / m                     # (B, M)
    omega = 0.15 * m * (1 + 0.05 * torch.rand(batch, modes, generator=g, dtype=torch.float64))  # rad/frame
    sigma = 0.005 + 0.01 * torch.rand(batch, modes, generator=g, dtype=torch.float64)
    phase = 2 * math.pi * torch.rand(batch, modes, generator=g, dtype=torch.float64)
    t = torch.arange(frames, dtype=torch.float64)[None, :, None]                              # (1, T, 1)
    env = torch.exp(-sigma[:, None, :] * t)                                                   # (B, T, M)
    arg = omega[:, None, :] * t + phase[:, None, :]
    q = amp[:, None, :] * env * torch.cos(arg)                                                # (B, T, M)
    v = -amp[:, None, :] * env * torch.sin(arg)                                               # (B, T, M) scaled derivative
    disp = torch.einsum("btm,mw->btw", q, shapes)
    vel = torch.einsum("btm,mw->btw", v, shapes)
    data = torch.stack([disp, vel], dim=-1)                                                   # (B, T, W, C)
    if channels != 2:
        data = data[..., :1].expand(batch, frames, grid, channels).contiguous()
    return data.to(dtype).contiguous()


def parameter_count(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def make_optimizer(model, foreach):
    params = [p for p in model.parameters() if p.requires_grad]
    kw = dict(lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, weight_decay=WEIGHT_DECAY)
    if foreach != "auto":
        kw["foreach"] = foreach == "on"
    return params, torch.optim.AdamW(params, **kw)


def train_timed(models, batch, steps, warmup, foreach):
    """Trains each model of the dict {variant: model} for warmup + steps steps, interleaved round-robin (step i of every
    variant before step i + 1 of any), so that load drifts on a shared machine hit all variants alike.
    Returns {variant: (per-step wall seconds of the timed steps, their losses, per-step process CPU seconds (all threads))}."""
    steppers = {}
    for name, model in models.items():
        params, opt = make_optimizer(model, foreach)

        def step(model=model, params=params, opt=opt):
            opt.zero_grad(set_to_none=True)
            loss = model.loss(batch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, CLIP_NORM)
            opt.step()
            return loss.detach()

        steppers[name] = step

    out = {name: ([], [], []) for name in models}
    for i in range(warmup + steps):
        for name, step in steppers.items():
            t0, c0 = time.perf_counter(), time.process_time()
            loss = step()
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            if i >= warmup:
                out[name][0].append(dt)
                out[name][1].append(float(loss))
                out[name][2].append(dc)
    return out


def run_variants(tag, variants, make_model, expected, args, data):
    """Builds one model per variant (same seed, so identical parameters), checks the parameter count, times them
    interleaved, logs and emits one JSON line per variant; the lowest median is marked "best". Returns the exit code."""
    models = {}
    for v in variants:
        torch.manual_seed(args.seed)
        model = make_model(v)
        n = parameter_count(model)
        if n != expected:
            log(f"torch_{tag}: parameter count {n} != expected {expected}")
            raise SystemExit(4)
        models[v] = model
    log(f"torch_{tag}: {expected} parameters; timing {', '.join(variants)} interleaved")
    results = train_timed(models, data, args.steps, args.warmup, args.foreach)
    records = []
    for v in variants:
        times, losses, cpu = results[v]
        rec = report(tag, v, args, times, losses, parameter_count(models[v]),
                     {"median_step_cpu_s": statistics.median(cpu), "min_step_cpu_s": min(cpu)})
        log(f"torch_{tag}: {v:9s} median {rec['median_step_s'] * 1e3:8.2f} ms  min {rec['min_step_s'] * 1e3:8.2f} ms  "
            f"CPU {rec['median_step_cpu_s'] * 1e3:8.2f} ms  "
            f"loss {rec['loss_first']:.4g} -> {rec['loss_last']:.4g}")
        if not rec["loss_decreased"]:
            log(f"torch_{tag}: WARNING: loss did not decrease for variant {v}")
        records.append(rec)
    best = min(records, key=lambda r: r["median_step_s"])
    for r in records:
        r["best"] = r is best
    emit(records)
    return 0 if all(r["loss_decreased"] for r in records) else 5


def blas_info():
    """Which BLAS torch's matmuls call: the Debian torch links libblas.so.3 (BLAS_INFO=generic), which resolves through
    update-alternatives or LD_LIBRARY_PATH to reference BLAS, OpenBLAS or BLIS."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() or "blis" in line.lower()}
        libs = sorted(l for l in libs if l.startswith("/"))
        real = sorted({os.path.realpath(l) for l in libs})
        return ",".join(real) if real else "unknown"
    except OSError:
        return "unknown"


def blas_kind(path):
    p = path.lower()
    if "openblas" in p:
        for flavour in ("openmp", "pthread", "serial"):
            if "openblas-" + flavour in p:
                return "openblas-" + flavour
        return "openblas"
    if "blis" in p:
        return "blis"
    if "mkl" in p:
        return "mkl"
    if "/blas/libblas" in p:
        return "reference"
    return "unknown"


def report(model_name, variant, args, times, losses, params, extra=None):
    """One JSON line (stdout) for one timed run; returns the record."""
    first = statistics.mean(losses[: max(1, len(losses) // 10)])
    last = statistics.mean(losses[-max(1, len(losses) // 10):])
    blas = blas_info()
    rec = {
        "impl": "pytorch",
        "model": model_name,
        "variant": variant,
        "threads": args.threads,
        "batch": args.batch,
        "median_step_s": statistics.median(times),
        "min_step_s": min(times),
        "params": params,
        "torch": torch.__version__,
        "dtype": args.dtype,
        "frames": args.frames,
        "steps": len(times),
        "warmup": args.warmup,
        "loss_first": first,
        "loss_last": last,
        "loss_decreased": bool(last < first and all(math.isfinite(l) for l in losses)),
        "blas": blas_kind(blas),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default").lower(),
    }
    if extra:
        rec.update(extra)
    return rec


def emit(records):
    for r in records:
        print(json.dumps(r), flush=True)


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()
