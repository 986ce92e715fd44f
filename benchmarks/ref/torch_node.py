#!/usr/bin/python3
"""PyTorch reference: training-step time of the tutorial's neural ODE (spec §5.1, the "non-linear string").

Model (15 modes, fs = 22 050 Hz, float64 as PhysMod's TutorialStringModel; trained: L, log(T0/ρA), d3/ρA):

    λ_μ = (μπ/L)²,  ω² = B̂ λ² + exp(log T̂) λ,  γ₂ = d̂3 λ   (B̂ = EI/ρA and the tension-modulation strength c frozen)
    f_nl(q) = c λ q Σ_ν λ_ν q_ν²
    damped velocity Verlet (spec §1.5b), Δt = 1/fs:
        v½ = v + ½Δt(−γ₂ v − ω² q − f_nl(q)),  q⁺ = q + Δt v½,  v⁺ = (v½ + ½Δt(−ω² q⁺ − f_nl(q⁺))) / (1 + ½γ₂Δt)
    one step = B random window starts s_b ~ U{0 … T−K−1} on the ground-truth trajectory (T = 441 frames), roll K = 10
    steps from the ground-truth state (q, v)_{s_b}, loss = mean over (b, k, [q, v]) of the squared error (the tutorial's
    unnormalised MSE), backward, global-norm clip 1.0, Adam (lr 5e-3 held constant, b1 .9, b2 .999, eps 1e-8).

Variants (identical parameters, timed interleaved; the fastest is marked "best"):
    plain   the equations as written (one tensor op per term)
    fused   the same arithmetic with fewer full-size ops: k = ω² + λ⊗(c Σλq²) reused between the two half-kicks of a
            step and across steps, addcmul for the kicks, damping factors precomputed; PhysMod's DampedVerletBlock form

Ground truth: the nylon B string (d1 = 0) plucked at 0.28 m with h = 0.03 m, simulated here with the same Verlet in
float64. With --fixture FILE (JSON written by `physmod bench train --families node`) the script first checks that its
ground truth equals PhysMod's (max relative error < 1e-10) and that both variants give PhysMod's loss and gradient at the
fixture's parameters and window starts (relative error < 1e-9), then times on PhysMod's ground truth. Exit 4 on a mismatch.

Usage: torch_node.py [--threads N] [--batch 4096] [--steps 50] [--warmup 5] [--dtype float64] [--fixture FILE]
       [--variant all|plain|fused] [--omp-wait-policy passive|active|default]
(--batch is the number of windows; --frames is ignored: the window is 10 steps, the trajectory 441 frames.)
"""

import json
import math
import statistics
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
import torch_common as tc  # noqa: E402  first: sets OMP_WAIT_POLICY / OPENBLAS_NUM_THREADS before torch loads libgomp and the BLAS

import torch

VARIANTS = ("plain", "fused")
MODES = 15
SAMPLE_RATE = 22050.0
TRAIN_FRAMES = 441
WINDOW = 10
LEARNING_RATE = 5e-3
CLIP_NORM = 1.0

# Nylon B string (spec §1.2), d1 = 0 as the tutorial's model.
A, I, RHO, E, D3, T0, LENGTH = 0.5188e-6, 0.141e-12, 1140.0, 5.4e9, 1.4e-5, 60.97, 0.65
RHO_A = RHO * A
PLUCK_HEIGHT, PLUCK_POSITION = 0.03, 0.28
INITIAL = (0.7, 3.0e4, 6.0)   # L, T0/ρA, d3/ρA when no fixture gives them (inside the tutorial's initial ranges)


def eigenvalues(length):
    k = torch.arange(1, MODES + 1, dtype=torch.float64) * math.pi / length
    return k * k


class TutorialString(torch.nn.Module):
    def __init__(self, bending, tension_coefficient, initial, variant):
        super().__init__()
        self.bending, self.c, self.variant = bending, tension_coefficient, variant
        self.length = torch.nn.Parameter(torch.tensor(initial[0], dtype=torch.float64))
        self.log_tension = torch.nn.Parameter(torch.tensor(math.log(initial[1]), dtype=torch.float64))
        self.d3 = torch.nn.Parameter(torch.tensor(initial[2], dtype=torch.float64))

    def coefficients(self):
        lam = eigenvalues(self.length)
        omega2 = self.bending * lam * lam + torch.exp(self.log_tension) * lam
        gamma2 = self.d3 * lam
        return lam, omega2, gamma2

    def rollout(self, q, v, dt, steps):                                  # (B, N) each → (B, steps+1, N) each
        return (self._plain if self.variant == "plain" else self._fused)(q, v, dt, steps)

    def _plain(self, q, v, dt, steps):
        lam, omega2, gamma2 = self.coefficients()

        def force(x):
            stretch = (lam * x * x).sum(-1, keepdim=True)               # (B, 1)
            return -omega2 * x - self.c * lam * x * stretch

        qs, vs = [q], [v]
        for _ in range(steps):
            half = v + 0.5 * dt * (force(q) - gamma2 * v)
            q = q + dt * half
            v = (half + 0.5 * dt * force(q)) / (1 + 0.5 * dt * gamma2)
            qs.append(q)
            vs.append(v)
        return torch.stack(qs, 1), torch.stack(vs, 1)

    def _fused(self, q, v, dt, steps):
        lam, omega2, gamma2 = self.coefficients()
        c_lam = (self.c * lam).unsqueeze(1)                              # (N, 1)
        keep = 1 - 0.5 * dt * gamma2                                     # (N)
        divide = 1 / (1 + 0.5 * dt * gamma2)                             # (N)

        def stiffness(x):                                                # k = ω² + λ (c Σ λ x²): force = −k x
            return torch.addcmul(omega2, lam, (x * x) @ c_lam)          # (B, N)

        k = stiffness(q)
        qs, vs = [q], [v]
        for _ in range(steps):
            half = torch.addcmul(keep * v, k, q, value=-0.5 * dt)
            q = torch.add(q, half, alpha=dt)
            k = stiffness(q)
            v = torch.addcmul(half, k, q, value=-0.5 * dt) * divide
            qs.append(q)
            vs.append(v)
        return torch.stack(qs, 1), torch.stack(vs, 1)

    def loss(self, gt_q, gt_v, starts, dt):
        index = starts.unsqueeze(1) + torch.arange(WINDOW + 1).unsqueeze(0)   # (B, K+1)
        q, v = gt_q[index], gt_v[index]                                       # (B, K+1, N)
        q_hat, v_hat = self.rollout(q[:, 0], v[:, 0], dt, WINDOW)
        return torch.cat([q_hat[:, 1:] - q[:, 1:], v_hat[:, 1:] - v[:, 1:]], -1).square().mean()


def ground_truth(bending, c, dt):
    """The plucked string simulated with the damped velocity Verlet at the true values, float64: (T, N) each."""
    lam = eigenvalues(torch.tensor(LENGTH, dtype=torch.float64))
    omega2 = bending * lam * lam + (T0 / RHO_A) * lam
    gamma2 = (D3 / RHO_A) * lam
    k = torch.sqrt(lam)
    q = PLUCK_HEIGHT * LENGTH * torch.sin(k * PLUCK_POSITION) / (lam * PLUCK_POSITION * (LENGTH - PLUCK_POSITION))
    v = torch.zeros_like(q)

    def force(x):
        return -omega2 * x - c * lam * x * (lam * x * x).sum()

    qs, vs = [q], [v]
    for _ in range(TRAIN_FRAMES - 1):
        half = v + 0.5 * dt * (force(q) - gamma2 * v)
        q = q + dt * half
        v = (half + 0.5 * dt * force(q)) / (1 + 0.5 * dt * gamma2)
        qs.append(q)
        vs.append(v)
    return torch.stack(qs), torch.stack(vs)


def relative(a, b):
    return ((a - b).abs().max() / b.abs().max().clamp_min(1e-300)).item()


def main():
    args = parse_args()
    tc.setup(args)   # float64 always: the model is float64 as PhysMod's TutorialStringModel
    dt = 1 / SAMPLE_RATE
    bending = E * I / RHO_A
    c = E * A / (2 * LENGTH * RHO_A) / (LENGTH / 2)
    with torch.no_grad():
        gt_q, gt_v = ground_truth(bending, c, dt)
    initial = INITIAL
    variants = VARIANTS if args.variant == "all" else (args.variant,)

    if args.fixture:
        with open(args.fixture) as f:
            fx = json.load(f)
        ours = (gt_q, gt_v)
        gt_q = torch.tensor(fx["q"], dtype=torch.float64)
        gt_v = torch.tensor(fx["v"], dtype=torch.float64)
        err = max(relative(ours[0], gt_q), relative(ours[1], gt_v))
        if not err < 1e-10 or abs(fx["bending"] / bending - 1) > 1e-12 or abs(fx["tension_coefficient"] / c - 1) > 1e-12:
            tc.log(f"torch_node: ground truth / constants differ from PhysMod's: max rel err {err:.3e}")
            return 4
        initial = tuple(fx["initial"])
        starts = torch.tensor(fx["starts"], dtype=torch.int64)
        for v in VARIANTS:
            model = TutorialString(bending, c, initial, v)
            loss = model.loss(gt_q, gt_v, starts, dt)
            loss.backward()
            grads = [model.length.grad.item(), model.log_tension.grad.item(), model.d3.grad.item()]
            loss_err = abs(loss.item() / fx["loss"] - 1)
            grad_err = max(abs(g - h) for g, h in zip(grads, fx["gradient"])) / max(abs(h) for h in fx["gradient"])
            if not (loss_err < 1e-9 and grad_err < 1e-9):
                tc.log(f"torch_node: variant {v}: loss {loss.item():.12g} vs PhysMod {fx['loss']:.12g} (rel {loss_err:.2e}), "
                       f"gradient rel err {grad_err:.2e}")
                return 4
        tc.log(f"torch_node: ground truth = PhysMod's (max rel err {err:.1e}); loss and gradient of every variant = PhysMod's "
               f"(rel < 1e-9, loss {fx['loss']:.6g})")

    models = {}
    for v in variants:
        models[v] = TutorialString(bending, c, initial, v)
    tc.log(f"torch_node: 3 parameters; {args.batch} windows × {WINDOW} steps × {MODES} modes; timing {', '.join(variants)} interleaved")

    steppers = {}
    generator = torch.Generator().manual_seed(args.seed + 1)
    high = TRAIN_FRAMES - WINDOW
    for name, model in models.items():
        params = list(model.parameters())
        opt = torch.optim.Adam(params, lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, foreach=args.foreach != "off")

        def step(model=model, params=params, opt=opt):
            opt.zero_grad(set_to_none=True)
            starts = torch.randint(0, high, (args.batch,), generator=generator)
            loss = model.loss(gt_q, gt_v, starts, dt)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, CLIP_NORM)
            opt.step()
            return loss.detach()

        steppers[name] = step

    results = {name: ([], [], []) for name in models}
    for i in range(args.warmup + args.steps):
        for name, step in steppers.items():
            c0, t0 = time.process_time(), time.perf_counter()
            loss = step()
            elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
            if i >= args.warmup:
                results[name][0].append(elapsed)
                results[name][1].append(float(loss))
                results[name][2].append(cpu)

    records = []
    for v in variants:
        times, losses, cpu = results[v]
        rec = tc.report("node", v, args, times, losses, 3, {"windows": args.batch, "window": WINDOW, "modes": MODES,
                                                            "median_cpu_s": statistics.median(cpu)})
        tc.log(f"torch_node: {v:6s} median {rec['median_step_s'] * 1e3:8.2f} ms  min {rec['min_step_s'] * 1e3:8.2f} ms  "
               f"CPU median {rec['median_cpu_s'] * 1e3:8.2f} ms  "
               f"loss {rec['loss_first']:.4g} -> {rec['loss_last']:.4g}")
        records.append(rec)
    best = min(records, key=lambda r: r["median_step_s"])
    for r in records:
        r["best"] = r is best
    tc.emit(records)
    return 0 if all(r["loss_decreased"] for r in records) else 5


def parse_args():
    # torch_common's parser plus --fixture; the batch default is the tutorial's 4096 windows and the dtype float64.
    argv = sys.argv[1:]
    fixture = None
    if "--fixture" in argv:
        i = argv.index("--fixture")
        fixture = argv[i + 1]
        del argv[i:i + 2]
    if not any(a == "--batch" or a.startswith("--batch=") for a in argv):
        argv += ["--batch", "4096"]
    if "--dtype" in argv:
        argv[argv.index("--dtype") + 1] = "float64"
    else:
        argv += ["--dtype", "float64"]
    sys.argv[1:] = argv
    args = tc.parse_args(__doc__.splitlines()[1], VARIANTS)
    args.fixture = fixture
    return args


if __name__ == "__main__":
    raise SystemExit(main())
