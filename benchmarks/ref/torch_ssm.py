#!/usr/bin/python3
"""PyTorch reference: training-step time of the deep SSM (StackedSSM of LRUs, spec §7.2).

Model (D = W·C = 202, H = 128, T = 100, n_layers = 2, r_min 0.9, r_max 0.99, max_phase π/2):

    x0 (B, W, C) → flatten (B, D)
    first  = LRU, initial-condition mode:  h_0 = B̄ x0, h_k = λ^k h_0 (λ^k = exp(k log λ)), y_k = Re(C h_k)   (no D term)
    layer_i (i = 1, 2):  x ← x + gelu(LRU_seq(LayerNorm(x)))      (pre-norm, per time step, GELU tanh form)
    LRU_seq:  h_k = λ⊙h_{k−1} + B̄ u_k,  y_k = Re(C h_k) + D⊙u_k
    λ = exp(−e^ν + i e^θ),  B̄ = (B_re + i B_im)⊙e^{γ_log}
    loss = MSE(model(x[:, 0]), x) over (B, T, W, C)

Parameters per LRU: ν_log, θ_log, γ_log (H each), B_re, B_im (H×D each), C_re, C_im (D×H each), D (D; sequence layers only).
    first LRU      : 3H + 4HD           = 384 + 103424          = 103 808
    sequence layer : LayerNorm 2D + 3H + 4HD + D = 404 + 384 + 103424 + 202 = 104 414
    total          : 103 808 + 2 × 104 414 = 312 636

Sequence-mode variants (the expansion layer is the same closed form in all of them):
    loop      Python loop over k of h = λ h + b_k on complex tensors (what the equation says; b.unbind(1), not b[:, k],
              whose backward would zero-fill a full (B, T, H) gradient per step)
    scan      log-depth Hillis–Steele scan: b_k ← b_k + λ^d b_{k−d}, d = 1, 2, 4, … (the jax associative_scan equivalent;
              PhysMod's LruScan.Parallel)
    fft       per-state causal convolution h = b * λ^k via complex FFT zero-padded to 2T (S4D/S5-style)
    toeplitz  per-state lower-triangular Toeplitz matmul h[:, t] = Σ_{s≤t} λ^{t−s} b_s as one real batched matmul over H
              with the 2×2 real block form of the complex matrix
All variants are built from the same seed (identical parameters) and timed interleaved, one step of each in turn, so
load drifts hit them alike; the variant with the lowest median step time is marked "best": true.

Projections are real matmuls with interleaved [re, im] weights (a complex cgemm would go through the same BLAS but with
complex autograd overhead); complex tensors appear only in the recurrence itself.

Usage: torch_ssm.py [--threads N] [--batch 25] [--steps 50] [--warmup 5] [--dtype float32]
       [--omp-wait-policy passive|active|default] [--foreach on|off|auto] [--frames 100] [--seed 0] [--variant all|loop|scan|fft|toeplitz]
"""

import math
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
import torch_common as tc  # noqa: E402  first: sets OMP_WAIT_POLICY / OPENBLAS_NUM_THREADS before torch loads libgomp and the BLAS

import torch
import torch.nn as nn
import torch.nn.functional as F

VARIANTS = ("loop", "scan", "fft", "toeplitz")
D_HIDDEN = 128
N_LAYERS = 2
R_MIN, R_MAX, MAX_PHASE = 0.9, 0.99, math.pi / 2


class LRU(nn.Module):
    def __init__(self, d_model, d_hidden, r_min, r_max, max_phase, feedthrough, dtype):
        super().__init__()
        self.d_model, self.d_hidden = d_model, d_hidden
        u1 = torch.rand(d_hidden, dtype=torch.float64)
        u2 = torch.rand(d_hidden, dtype=torch.float64).clamp_min(1e-12)
        nu = torch.log(-0.5 * torch.log(u1 * (r_max ** 2 - r_min ** 2) + r_min ** 2))
        theta = torch.log(max_phase * u2)
        modulus = torch.exp(-torch.exp(nu))
        gamma = torch.log(torch.sqrt(1 - modulus ** 2))
        p = lambda t: nn.Parameter(t.to(dtype))
        self.nu_log, self.theta_log, self.gamma_log = p(nu), p(theta), p(gamma)
        s_in, s_out = 1 / math.sqrt(2 * d_model), 1 / math.sqrt(d_hidden)
        self.B_re = p(torch.randn(d_hidden, d_model, dtype=torch.float64) * s_in)
        self.B_im = p(torch.randn(d_hidden, d_model, dtype=torch.float64) * s_in)
        self.C_re = p(torch.randn(d_model, d_hidden, dtype=torch.float64) * s_out)
        self.C_im = p(torch.randn(d_model, d_hidden, dtype=torch.float64) * s_out)
        self.D = p(torch.randn(d_model, dtype=torch.float64)) if feedthrough else None
        self.variant = "scan"

    # --- derived quantities -------------------------------------------------------------------------------------------
    def log_lambda(self):                                    # (H) complex
        return torch.complex(-torch.exp(self.nu_log), torch.exp(self.theta_log))

    def powers(self, n):                                     # (n, H) complex, λ^k = exp(k log λ)
        k = torch.arange(n, dtype=self.nu_log.dtype).unsqueeze(1)
        return torch.exp(k * self.log_lambda())

    def project(self, u):                                    # (..., D) real → (..., H) complex = B̄ u
        g = torch.exp(self.gamma_log).unsqueeze(1)
        w = torch.stack([self.B_re * g, self.B_im * g], 1).reshape(2 * self.d_hidden, self.d_model)
        r = F.linear(u, w)                                   # (..., 2H) interleaved re/im
        return torch.view_as_complex(r.view(*r.shape[:-1], self.d_hidden, 2))

    def readout(self, h):                                    # (..., H) complex → (..., D) = Re(C h)
        w = torch.stack([self.C_re, -self.C_im], 2).reshape(self.d_model, 2 * self.d_hidden)
        r = torch.view_as_real(h)
        return F.linear(r.reshape(*r.shape[:-2], 2 * self.d_hidden), w)

    # --- modes ---------------------------------------------------------------------------------------------------------
    def expand(self, x0, n):                                 # (B, D) → (B, n, D)
        return self.readout(self.project(x0).unsqueeze(1) * self.powers(n))

    def forward(self, u):                                    # (B, T, D) → (B, T, D)
        b = self.project(u)                                  # (B, T, H) complex
        h = getattr(self, "_" + self.variant)(b)
        y = self.readout(h)
        return y if self.D is None else y + self.D * u

    def _loop(self, b):
        lam = torch.exp(self.log_lambda())
        steps = b.unbind(1)                                  # one UnbindBackward (a stack) instead of T zero-filled selects
        h = steps[0]
        out = [h]
        for bk in steps[1:]:
            h = lam * h + bk
            out.append(h)
        return torch.stack(out, 1)

    def _scan(self, b):
        T = b.shape[1]
        loglam = self.log_lambda()
        d = 1
        while d < T:
            tail = b[:, d:] + torch.exp(d * loglam) * b[:, : T - d]
            b = torch.cat([b[:, :d], tail], 1)
            d <<= 1
        return b

    def _fft(self, b):
        T = b.shape[1]
        n = 2 * T
        kf = torch.fft.fft(self.powers(T), n=n, dim=0)       # (n, H)
        bf = torch.fft.fft(b, n=n, dim=1)                    # (B, n, H)
        return torch.fft.ifft(bf * kf, n=n, dim=1)[:, :T]

    def _toeplitz(self, b):
        B, T, H = b.shape
        t = torch.arange(T)
        lag = t[:, None] - t[None, :]                        # (T, T) t − s
        mask = (lag >= 0).to(self.nu_log.dtype)
        lagf = lag.clamp_min(0).to(self.nu_log.dtype)
        logmod = -torch.exp(self.nu_log)[:, None, None]      # (H, 1, 1)
        ph = torch.exp(self.theta_log)[:, None, None]
        a = torch.exp(lagf * logmod) * mask                  # (H, T, T) |λ|^{t−s} on t ≥ s
        lr, li = a * torch.cos(lagf * ph), a * torch.sin(lagf * ph)
        blk = torch.cat([torch.cat([lr, -li], 2), torch.cat([li, lr], 2)], 1)   # (H, 2T, 2T) real form of the complex L
        br = torch.view_as_real(b).permute(2, 3, 1, 0).reshape(H, 2 * T, B)     # (H, [re_T; im_T], B)
        h = torch.bmm(blk, br).reshape(H, 2, T, B).permute(3, 2, 0, 1)          # (B, T, H, 2)
        return torch.view_as_complex(h.contiguous())


class SequenceLayer(nn.Module):
    def __init__(self, d_model, d_hidden, dtype):
        super().__init__()
        self.norm = nn.LayerNorm(d_model, eps=1e-5, dtype=dtype)
        self.lru = LRU(d_model, d_hidden, R_MIN, R_MAX, MAX_PHASE, True, dtype)

    def forward(self, x):
        return x + F.gelu(self.lru(self.norm(x)), approximate="tanh")


class StackedSSM(nn.Module):
    def __init__(self, grid, channels, frames, dtype):
        super().__init__()
        self.grid, self.channels, self.frames = grid, channels, frames
        d = grid * channels
        self.first = LRU(d, D_HIDDEN, R_MIN, R_MAX, MAX_PHASE, False, dtype)
        self.layers = nn.ModuleList([SequenceLayer(d, D_HIDDEN, dtype) for _ in range(N_LAYERS)])

    def set_variant(self, v):
        for m in self.modules():
            if isinstance(m, LRU):
                m.variant = v

    def forward(self, x0, n):
        B = x0.shape[0]
        s = self.first.expand(x0.reshape(B, -1), n)
        for layer in self.layers:
            s = layer(s)
        return s.reshape(B, n, self.grid, self.channels)

    def loss(self, x):
        return F.mse_loss(self(x[:, 0], x.shape[1]), x)


def expected_params(d, h, layers):
    first = 3 * h + 4 * h * d
    seq = 2 * d + 3 * h + 4 * h * d + d
    return first + layers * seq


def main():
    args = tc.parse_args(__doc__.splitlines()[1], VARIANTS)
    dtype = tc.setup(args)
    data = tc.synthetic_trajectories(args.batch, args.frames, tc.GRID, tc.CHANNELS, dtype, args.seed + 1)
    variants = VARIANTS if args.variant == "all" else (args.variant,)

    # Cheap correctness: every variant's forward equals the loop's on identical parameters (float64 for a tight check).
    ref_model = StackedSSM(tc.GRID, tc.CHANNELS, args.frames, torch.float64)
    x64 = data.to(torch.float64)[: min(4, args.batch)]
    with torch.no_grad():
        ref_model.set_variant("loop")
        ref = ref_model(x64[:, 0], args.frames)
        for v in VARIANTS:
            ref_model.set_variant(v)
            err = ((ref_model(x64[:, 0], args.frames) - ref).abs().max() / ref.abs().max()).item()
            if not err < 1e-9:
                tc.log(f"torch_ssm: variant {v} disagrees with the loop: max rel err {err:.3e}")
                raise SystemExit(4)
    tc.log("torch_ssm: variants agree with the loop recurrence (float64, max rel err < 1e-9)")

    def make(v):
        model = StackedSSM(tc.GRID, tc.CHANNELS, args.frames, dtype)
        model.set_variant(v)
        return model

    return tc.run_variants("ssm", variants, make, expected_params(tc.GRID * tc.CHANNELS, D_HIDDEN, N_LAYERS), args, data)


if __name__ == "__main__":
    raise SystemExit(main())
