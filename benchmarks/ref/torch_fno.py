#!/usr/bin/python3
"""PyTorch reference: training-step time of the one-shot FNO (spec §6.2) and the per-frame inference time of the
autoregressive FNO (spec §6.3), for PhysMod's OperatorBenchmark (src/PhysMod.Learning/Operators/OperatorBenchmark.cs).

Model (the tutorial's FNO1D; W = 101, C = 2, T = 100, hidden 32, n_modes 101, 4 layers, projection 128):

    x0 (B, W, C) → Linear(C → 32) → (B, 32, W)
    4 × h ← gelu_tanh(K h + W h + b)          K: SpectralConv1d, W: pointwise 32 × 32
          K h = irfft_n(einsum("bim,iom->bom", rfft_n(h, ortho)[:M], R), ortho)[:W], n = 2W − 1, R complex (32, 32, M)
    → Linear(32 → 128), gelu_tanh, Linear(128 → (T − 1)·C) → rearrange w (t c) → t w c
    loss = MSE(model(x[:, 0]), x[:, 1:])

Parameters: 2·32·32·M·4 (spectral, re + im) + 4·(32·32 + 32) + (C·32 + 32) + (32·128 + 128) + (128·(T−1)·C + (T−1)·C)
          = 827 392 + 4 224 + 96 + 4 224 + 25 542 = 861 478 for M = 101, T = 100, C = 2.

Every step and frame is timed in wall time and in process CPU time (time.process_time, all threads), which a loaded
machine distorts less. Variants (same parameters, timed one after the other):
    einsum   complex einsum per mode (as the tutorial and neuraloperator write it)
    bmm      the same product as one real batched matmul per mode with the 2×2 block form of R

Inference (--inference-steps > 0, default 2000): the autoregressive operator (same trunk, projection to C = 2 channels)
advanced one frame at a time from a single initial frame (B = 1, torch.no_grad), the time per frame reported next to
the 62.5 µs frame period of 16 kHz audio (and 20.8 µs at 48 kHz).

Usage: torch_fno.py [--threads 2] [--batch 80] [--steps 30] [--warmup 3] [--dtype float32] [--variant all|einsum|bmm]
       [--inference-steps 2000] [--omp-wait-policy passive]
"""

import math
import statistics
import sys
import time

sys.dont_write_bytecode = True
import torch_common as tc  # noqa: E402  first: sets OMP_WAIT_POLICY / thread variables before torch loads

import torch
import torch.nn as nn
import torch.nn.functional as F

VARIANTS = ("einsum", "bmm")
HIDDEN, LAYERS, PROJECTION = 32, 4, 128


class SpectralConv1d(nn.Module):
    def __init__(self, cin, cout, modes, dtype):
        super().__init__()
        s = 1.0 / (cin * cout)
        self.modes = modes
        self.weight_re = nn.Parameter(((torch.rand(cin, cout, modes, dtype=torch.float64) * 2 - 1) * s).to(dtype))
        self.weight_im = nn.Parameter(((torch.rand(cin, cout, modes, dtype=torch.float64) * 2 - 1) * s).to(dtype))
        self.variant = "einsum"

    def forward(self, x):                                            # (B, I, W) → (B, O, W)
        w = x.shape[-1]
        n = 2 * w - 1
        xf = torch.fft.rfft(x, n=n, dim=-1, norm="ortho")[..., : self.modes]          # (B, I, M) complex
        if self.variant == "einsum":
            y = torch.einsum("bim,iom->bom", xf, torch.complex(self.weight_re, self.weight_im))
        else:
            xr = torch.view_as_real(xf).permute(2, 0, 1, 3).reshape(self.modes, x.shape[0], -1)   # (M, B, [I re/im])
            wr, wi = self.weight_re.permute(2, 0, 1), self.weight_im.permute(2, 0, 1)            # (M, I, O)
            blk = torch.stack([torch.stack([wr, wi], -1), torch.stack([-wi, wr], -1)], 2)       # (M, I, 2, O, 2)
            blk = blk.reshape(self.modes, 2 * wr.shape[1], 2 * wr.shape[2])
            yr = torch.bmm(xr, blk).reshape(self.modes, x.shape[0], -1, 2)                      # (M, B, O, 2)
            y = torch.view_as_complex(yr.permute(1, 2, 0, 3).contiguous())                      # (B, O, M)
        return torch.fft.irfft(y, n=n, dim=-1, norm="ortho")[..., :w]


class FNO1d(nn.Module):
    def __init__(self, cin, cout, modes, dtype):
        super().__init__()
        self.lift = nn.Linear(cin, HIDDEN, dtype=dtype)
        self.spectral = nn.ModuleList([SpectralConv1d(HIDDEN, HIDDEN, modes, dtype) for _ in range(LAYERS)])
        self.pointwise = nn.ModuleList([nn.Linear(HIDDEN, HIDDEN, dtype=dtype) for _ in range(LAYERS)])
        self.proj = nn.Linear(HIDDEN, PROJECTION, dtype=dtype)
        self.out = nn.Linear(PROJECTION, cout, dtype=dtype)

    def set_variant(self, v):
        for s in self.spectral:
            s.variant = v

    def forward(self, x):                                            # (B, W, C_in) → (B, W, C_out)
        h = self.lift(x).permute(0, 2, 1)
        for k, p in zip(self.spectral, self.pointwise):
            h = F.gelu(k(h) + (p.weight @ h + p.bias[:, None]), approximate="tanh")
        return self.out(F.gelu(self.proj(h.permute(0, 2, 1)), approximate="tanh"))


class OneShot(nn.Module):
    def __init__(self, frames, modes, dtype):
        super().__init__()
        self.frames = frames
        self.net = FNO1d(tc.CHANNELS, tc.CHANNELS * (frames - 1), modes, dtype)

    def loss(self, batch):                                           # (B, T, W, C)
        b, t, w, c = batch.shape
        pred = self.net(batch[:, 0]).reshape(b, w, t - 1, c).permute(0, 2, 1, 3)
        return F.mse_loss(pred, batch[:, 1:])


def expected_params(frames, modes, c=tc.CHANNELS):
    out = c * (frames - 1)
    return (2 * HIDDEN * HIDDEN * modes * LAYERS + LAYERS * (HIDDEN * HIDDEN + HIDDEN) + (c * HIDDEN + HIDDEN)
            + (HIDDEN * PROJECTION + PROJECTION) + (PROJECTION * out + out))


def inference(args, dtype, modes):
    torch.manual_seed(args.seed)
    net = FNO1d(tc.CHANNELS, tc.CHANNELS, modes, dtype)
    x = torch.randn(1, tc.GRID, tc.CHANNELS, dtype=dtype) * 0.1
    times = []
    with torch.no_grad():
        for i in range(args.inference_steps + 50):
            if i == 50:
                c0 = time.process_time()
            t0 = time.perf_counter()
            x = net(x)
            dt = time.perf_counter() - t0
            if i >= 50:
                times.append(dt)
    cpu_per_frame = (time.process_time() - c0) / args.inference_steps
    med = statistics.median(times)
    rec = {"impl": "pytorch", "model": "fno_ar_inference", "variant": "einsum", "threads": args.threads, "batch": 1,
           "median_frame_s": med, "min_frame_s": min(times), "mean_frame_cpu_s": cpu_per_frame, "frames": len(times), "torch": torch.__version__,
           "dtype": args.dtype, "real_time_factor_16k": (1 / 16000) / med, "real_time_factor_48k": (1 / 48000) / med,
           "finite": bool(torch.isfinite(x).all())}
    tc.log(f"torch_fno: AR inference {med * 1e6:.1f} µs/frame (16 kHz frame period 62.5 µs: {rec['real_time_factor_16k']:.3f}× real time)")
    return rec


def take_inference_steps(argv):
    """Removes this script's own --inference-steps N from argv (the shared parser does not know it); returns N."""
    steps = 2000
    out = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--inference-steps" and i + 1 < len(argv):
            steps = int(argv[i + 1])
            i += 2
            continue
        if a.startswith("--inference-steps="):
            steps = int(a.split("=", 1)[1])
        else:
            out.append(a)
        i += 1
    argv[:] = out
    return steps


def train_cpu_timed(model, data, args):
    """The harness's training step, timed in wall time (perf_counter) and process CPU time (process_time: all threads of
    this process), which a loaded machine distorts less. Returns (wall times, CPU times, losses) of the timed steps."""
    params = [p for p in model.parameters() if p.requires_grad]
    kw = dict(lr=tc.LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, weight_decay=tc.WEIGHT_DECAY)
    if args.foreach != "auto":
        kw["foreach"] = args.foreach == "on"
    opt = torch.optim.AdamW(params, **kw)
    wall, cpu, losses = [], [], []
    for i in range(args.warmup + args.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        opt.zero_grad(set_to_none=True)
        loss = model.loss(data)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, tc.CLIP_NORM)
        opt.step()
        t1, c1 = time.perf_counter(), time.process_time()
        if i >= args.warmup:
            wall.append(t1 - t0)
            cpu.append(c1 - c0)
            losses.append(float(loss.detach()))
    return wall, cpu, losses


def main():
    inference_steps = take_inference_steps(sys.argv)
    args = tc.parse_args("PyTorch FNO training-step reference", VARIANTS, default_variant="einsum")
    dtype = tc.setup(args)
    modes = tc.GRID
    data = tc.synthetic_trajectories(args.batch, args.frames, tc.GRID, tc.CHANNELS, dtype, args.seed + 1)
    variants = VARIANTS if args.variant == "all" else (args.variant,)
    expected = expected_params(args.frames, modes)
    records = []
    for v in variants:
        torch.manual_seed(args.seed)
        model = OneShot(args.frames, modes, dtype)
        model.net.set_variant(v)
        n = tc.parameter_count(model)
        if n != expected:
            tc.log(f"torch_fno: parameter count {n} != expected {expected}")
            return 4
        wall, cpu, losses = train_cpu_timed(model, data, args)
        rec = tc.report("fno", v, args, wall, losses, n, {"median_step_cpu_s": statistics.median(cpu), "min_step_cpu_s": min(cpu)})
        tc.log(f"torch_fno: {v:7s} median {rec['median_step_s'] * 1e3:8.2f} ms wall, {rec['median_step_cpu_s'] * 1e3:8.2f} ms CPU; "
               f"loss {rec['loss_first']:.4g} -> {rec['loss_last']:.4g}")
        records.append(rec)
    best = min(records, key=lambda r: r["median_step_s"])
    for r in records:
        r["best"] = r is best
    tc.emit(records)
    if inference_steps > 0:
        args.inference_steps = inference_steps
        tc.emit([inference(args, dtype, modes)])
    return 0 if all(r["loss_decreased"] for r in records) else 5


if __name__ == "__main__":
    sys.exit(main())
