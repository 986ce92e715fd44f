#!/usr/bin/python3
"""PyTorch reference: training-step time of the deep Koopman network (spec §7.1).

Model (W·C = 202, width 256, depth 3, d_latent 128 = 64 complex eigenvalues, r_min 0.99, r_max 1.0, max_phase π):

    encoder φ  : 202 → 256 → 256 → 256 → 128   (Linear with bias, SELU between, none after the last)
    decoder φ⁻¹: 128 → 256 → 256 → 256 → 202
    dynamics   : z_c = z[:64] + i z[64:],  λ_j = exp(−e^{ν_j} + i e^{θ_j}),  z_k = λ^k z_0 = exp(k log λ) z_0, k = 0 … T−1
                 (evaluated in real arithmetic: |λ|^k = exp(−k e^ν), arg = k e^θ, as PhysMod's LruDynamics)
    loss = mean(φ⁻¹(Λ^k φ(x_0)) − x)² + mean(φ⁻¹(φ(x_k)) − x_k)² + 0.1·mean(Λ^k φ(x_0) − φ(x_k))²   over all k, B, W, C

Parameters (Linear in→out: in·out + out):
    encoder: (202·256+256) + 2·(256·256+256) + (256·128+128) = 51 968 + 131 584 + 32 896 = 216 448
    decoder: (128·256+256) + 2·(256·256+256) + (256·202+202) = 33 024 + 131 584 + 51 914 = 216 522
    dynamics: ν_log, θ_log (64 each)                                                     =     128
    total                                                                                = 433 098

Variants:
    fused     both decoder passes (advanced latents and encoded frames) as one batched pass over 2B trajectories
              (what PhysMod's KoopmanModel.Loss does)
    separate  two decoder calls (the literal transcription of the loss)
All variants are built from the same seed (identical parameters) and timed interleaved, one step of each in turn, so
load drifts hit them alike; the variant with the lowest median step time is marked "best": true.

Usage: torch_koopman.py [--threads N] [--batch 25] [--steps 50] [--warmup 5] [--dtype float32]
       [--omp-wait-policy passive|active|default] [--foreach on|off|auto] [--frames 100] [--seed 0] [--variant all|fused|separate]
"""

import math
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
import torch_common as tc  # noqa: E402  first: sets OMP_WAIT_POLICY / OPENBLAS_NUM_THREADS before torch loads libgomp and the BLAS

import torch
import torch.nn as nn
import torch.nn.functional as F

VARIANTS = ("fused", "separate")
D_LATENT, WIDTH, DEPTH = 128, 256, 3
R_MIN, R_MAX, MAX_PHASE = 0.99, 1.0, math.pi
WEIGHTS = (1.0, 1.0, 0.1)


class MLP(nn.Module):
    """depth + 1 Linear layers, SELU after all but the last; lecun_uniform weights, U(±1/√fan_in) biases (equinox)."""

    def __init__(self, n_in, n_out, width, depth, dtype):
        super().__init__()
        sizes = [n_in] + [width] * depth + [n_out]
        self.layers = nn.ModuleList()
        for a, b in zip(sizes[:-1], sizes[1:]):
            lin = nn.Linear(a, b, bias=True, dtype=dtype)
            with torch.no_grad():
                lin.weight.uniform_(-math.sqrt(3 / a), math.sqrt(3 / a))
                lin.bias.uniform_(-1 / math.sqrt(a), 1 / math.sqrt(a))
            self.layers.append(lin)

    def forward(self, x):
        last = len(self.layers) - 1
        for i, lin in enumerate(self.layers):
            x = lin(x)
            if i < last:
                x = F.selu(x)
        return x


class LRUDynamics(nn.Module):
    def __init__(self, n, r_min, r_max, max_phase, dtype):
        super().__init__()
        u1 = torch.rand(n, dtype=torch.float64)
        u2 = torch.rand(n, dtype=torch.float64).clamp_min(1e-12)
        sq = (u1 * (r_max ** 2 - r_min ** 2) + r_min ** 2).clamp_max(1 - 1e-15)
        self.nu_log = nn.Parameter(torch.log(-0.5 * torch.log(sq)).to(dtype))
        self.theta_log = nn.Parameter(torch.log(max_phase * u2).to(dtype))
        self.n = n

    def forward(self, z0, steps):                                           # (B, 2n) → (B, steps, 2n)
        k = torch.arange(steps, dtype=z0.dtype).unsqueeze(1)                # (T, 1)
        mod = torch.exp(-k * torch.exp(self.nu_log))                        # (T, n) |λ|^k
        ang = k * torch.exp(self.theta_log)                                 # (T, n)
        c, s = mod * torch.cos(ang), mod * torch.sin(ang)
        re0, im0 = z0[:, None, : self.n], z0[:, None, self.n:]
        return torch.cat([c * re0 - s * im0, s * re0 + c * im0], -1)


class Koopman(nn.Module):
    def __init__(self, grid, channels, dtype):
        super().__init__()
        self.grid, self.channels = grid, channels
        d = grid * channels
        self.encoder = MLP(d, D_LATENT, WIDTH, DEPTH, dtype)
        self.decoder = MLP(D_LATENT, d, WIDTH, DEPTH, dtype)
        self.dynamics = LRUDynamics(D_LATENT // 2, R_MIN, R_MAX, MAX_PHASE, dtype)
        self.variant = "fused"

    def encode(self, x):                                                    # (..., W, C) → (..., L)
        return self.encoder(x.reshape(*x.shape[:-2], self.grid * self.channels))

    def decode(self, z):                                                    # (..., L) → (..., W, C)
        return self.decoder(z).reshape(*z.shape[:-1], self.grid, self.channels)

    def forward(self, x0, steps):
        return self.decode(self.dynamics(self.encode(x0), steps))

    def loss(self, x):
        B, T = x.shape[:2]
        z = self.encode(x)                                                  # (B, T, L)
        adv = self.dynamics(z[:, 0], T)                                     # (B, T, L)
        if self.variant == "fused":
            dec = self.decode(torch.cat([adv, z], 0))
            pred, recon = dec[:B], dec[B:]
        else:
            pred, recon = self.decode(adv), self.decode(z)
        a1, a2, a3 = WEIGHTS
        return a1 * F.mse_loss(pred, x) + a2 * F.mse_loss(recon, x) + a3 * F.mse_loss(adv, z)


def linear_params(i, o):
    return i * o + o


def expected_params(d, latent, width, depth):
    mlp = lambda a, b: linear_params(a, width) + (depth - 1) * linear_params(width, width) + linear_params(width, b)
    return mlp(d, latent) + mlp(latent, d) + latent


def main():
    args = tc.parse_args(__doc__.splitlines()[1], VARIANTS)
    dtype = tc.setup(args)
    data = tc.synthetic_trajectories(args.batch, args.frames, tc.GRID, tc.CHANNELS, dtype, args.seed + 1)
    variants = VARIANTS if args.variant == "all" else (args.variant,)

    # Cheap correctness: both variants give the same loss; the closed-form powers equal a running product.
    m = Koopman(tc.GRID, tc.CHANNELS, torch.float64)
    x64 = data.to(torch.float64)[: min(4, args.batch)]
    with torch.no_grad():
        m.variant = "fused"
        l1 = m.loss(x64).item()
        m.variant = "separate"
        l2 = m.loss(x64).item()
        z0 = torch.randn(2, D_LATENT, dtype=torch.float64)
        lam = torch.exp(torch.complex(-torch.exp(m.dynamics.nu_log), torch.exp(m.dynamics.theta_log)))
        zc = torch.complex(z0[:, :64], z0[:, 64:])
        prod = [zc]
        for _ in range(args.frames - 1):
            prod.append(prod[-1] * lam)
        prod = torch.stack(prod, 1)
        adv = m.dynamics(z0, args.frames)
        err = (torch.cat([prod.real, prod.imag], -1) - adv).abs().max().item()
    if not (abs(l1 - l2) <= 1e-12 * abs(l1) and err < 1e-9):
        tc.log(f"torch_koopman: self-check failed: loss fused {l1} vs separate {l2}, powers err {err:.3e}")
        raise SystemExit(4)
    tc.log("torch_koopman: variants agree; λ^k = exp(k log λ) matches the running product")

    def make(v):
        model = Koopman(tc.GRID, tc.CHANNELS, dtype)
        model.variant = v
        return model

    return tc.run_variants("koopman", variants, make, expected_params(tc.GRID * tc.CHANNELS, D_LATENT, WIDTH, DEPTH),
                           args, data)


if __name__ == "__main__":
    raise SystemExit(main())
