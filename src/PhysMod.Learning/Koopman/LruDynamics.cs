using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Koopman;

/// <summary>Diagonal complex linear latent dynamics of the deep Koopman network: each complex latent coordinate is multiplied
/// by its own eigenvalue per frame (the tutorial's <c>LRUDynamics</c>).</summary>
/// <remarks>
/// With h = d_latent / 2 and the latent split as z_c = z[:h] + i z[h:]:
/// <code>
///   lambda_j = exp(-exp(nu_j) + i exp(theta_j))                       (|lambda| = exp(-e^nu), arg lambda = e^theta)
///   z_k      = lambda^k ⊙ z_0 = exp(k log lambda) ⊙ z_0,  k = 0 … n−1  (frame 0 is z_0 itself)
/// </code>
/// Powers are computed in closed form as exp(k·log λ) rather than a running product, so there is no drift over long rollouts
/// (spec §11.5). With <c>clip_eigs</c> the log-modulus is clipped to ≤ −1e-5. Ring initialisation (Orvieto et al. 2023),
/// u, u′ ~ U(0, 1):
/// <code>
///   nu    = log(-0.5 log(u (r_max² − r_min²) + r_min²))   so |lambda| ∈ [r_min, r_max]
///   theta = log(max_phase u′)                            so arg lambda ∈ (0, max_phase]
/// </code>
/// With energy_phase on, the argument of every eigenvalue depends on the initial latent energies e_i = |z₀,i|²:
/// arg λ_j(z₀) = e^{θ_j} (1 + Σ_i A_ji e_i), A (h, h) learned and zero at initialisation (z_k = λ(z₀)^k ⊙ z₀, still closed form).
/// With modulation on, each step is further multiplied by a learned complex gain m(|z_k|²) (an MLP h → 2h, SELU).
/// </remarks>
public sealed class LruDynamics : nn.Module<Tensor, int, Tensor>
{
    /// <summary>Largest log-modulus allowed when clipping is on.</summary>
    public const double ClipLogModulus = -1e-5;

    private readonly Parameter nu_log;
    private readonly Parameter theta_log;
    private readonly KoopmanMlp? modulation;
    private readonly Parameter? phase_energy;

    /// <summary>Number of complex eigenvalues.</summary>
    public int EigenvalueCount { get; }

    /// <summary>True when the log-modulus is clipped to ≤ −1e-5.</summary>
    public bool ClipEigs { get; }

    /// <summary>Creates ring-initialised eigenvalues from <paramref name="generator"/>.</summary>
    public LruDynamics(string name, KoopmanModelConfig config, Generator generator, ScalarType dtype) : base(name)
    {
        EigenvalueCount = config.EigenvalueCount;
        ClipEigs = config.ClipEigs;
        using (var nu = NuInit(EigenvalueCount, config.RMin, config.RMax, generator)) nu_log = new Parameter(nu.to(dtype));
        using (var theta = ThetaInit(EigenvalueCount, config.MaxPhase, generator)) theta_log = new Parameter(theta.to(dtype));
        if (config.EnergyPhase) phase_energy = new Parameter(zeros(EigenvalueCount, EigenvalueCount, dtype: dtype));
        if (config.UseModulation)
            modulation = new KoopmanMlp("modulation", EigenvalueCount, 2 * EigenvalueCount, config.ModulationWidth, config.ModulationDepth, generator, dtype);
        RegisterComponents();
    }

    /// <summary>ν (h) of the ring initialisation, computed in float64: |λ| = exp(−e^ν) uniform in area on the ring [r_min, r_max].</summary>
    public static Tensor NuInit(int count, double rMin, double rMax, Generator generator)
    {
        using var scope = NewDisposeScope();
        var u = rand(new long[] { count }, dtype: float64, generator: generator);
        // u < 1 strictly, but the sum can still round to 1 when r_max = 1: keep the argument of the outer log positive
        var squared = (u * (rMax * rMax - rMin * rMin) + rMin * rMin).clamp_max(1 - 1e-15);
        return (-0.5 * squared.log()).log().MoveToOuterDisposeScope();
    }

    /// <summary>θ (h) of the ring initialisation, computed in float64: arg λ = e^θ uniform in (0, max_phase].</summary>
    public static Tensor ThetaInit(int count, double maxPhase, Generator generator)
    {
        using var scope = NewDisposeScope();
        var u = rand(new long[] { count }, dtype: float64, generator: generator).clamp_min(1e-12);
        return (maxPhase * u).log().MoveToOuterDisposeScope();
    }

    /// <summary>Sets every eigenvalue from its log-modulus ln|λ_j| (&lt; 0) and argument arg λ_j (&gt; 0), both (h) values.</summary>
    public void SetSpectrum(double[] logModulus, double[] phase)
    {
        ArgumentNullException.ThrowIfNull(logModulus);
        ArgumentNullException.ThrowIfNull(phase);
        if (logModulus.Length != EigenvalueCount || phase.Length != EigenvalueCount || logModulus.Any(v => !(v < 0)) || phase.Any(v => !(v > 0)))
            throw new ArgumentException($"need {EigenvalueCount} eigenvalues with ln|λ| < 0 and arg λ > 0");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        nu_log.copy_(tensor(logModulus.Select(v => Math.Log(-v)).ToArray()));
        theta_log.copy_(tensor(phase.Select(v => Math.Log(v)).ToArray()));
    }

    /// <summary>ν (h): log of the negated log-modulus of each eigenvalue.</summary>
    public Parameter Nu => nu_log;

    /// <summary>θ (h): log of the argument of each eigenvalue.</summary>
    public Parameter Theta => theta_log;

    /// <summary>log |λ| (h), clipped when <see cref="ClipEigs"/> is on.</summary>
    public Tensor LogModulus()
    {
        var logModulus = -nu_log.exp();
        return ClipEigs ? logModulus.clamp_max(ClipLogModulus) : logModulus;
    }

    /// <summary>arg λ (h), unwrapped (e^θ, may exceed π after training).</summary>
    public Tensor Phase() => theta_log.exp();

    /// <summary>Advances latents z0 (B, 2h) by k = 0 … steps − 1 frames; returns (B, steps, 2h), re parts then im parts.</summary>
    public override Tensor forward(Tensor z0, int steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be ≥ 1");
        int h = EigenvalueCount;
        var k = arange(steps, dtype: z0.dtype, device: z0.device).unsqueeze(1);   // (n, 1)
        var modulus = (k * LogModulus()).exp();                                   // (n, h) = |λ|^k
        var angle = k * Phase();                                                   // (n, h) = k arg λ
        var re0 = z0[.., ..h].unsqueeze(1);                                        // (B, 1, h)
        var im0 = z0[.., h..].unsqueeze(1);                                        // (B, 1, h)
        if (phase_energy is not null)
        {
            var energy = (re0 * re0 + im0 * im0).squeeze(1);                       // (B, h)
            var scale = 1 + nn.functional.linear(energy, phase_energy);            // (B, h) = 1 + A e
            angle = angle.unsqueeze(0) * scale.unsqueeze(1);                       // (B, n, h)
        }
        var cos = modulus * angle.cos();                                           // (n, h) or (B, n, h): Re λ^k
        var sin = modulus * angle.sin();                                           // Im λ^k
        var re = cos * re0 - sin * im0;                                            // (B, n, h)
        var im = sin * re0 + cos * im0;                                            // (B, n, h)
        if (modulation is not null)
        {
            var gain = modulation.forward(re * re + im * im);                      // (B, n, 2h)
            var gainRe = gain[.., .., ..h];
            var gainIm = gain[.., .., h..];
            (re, im) = (re * gainRe - im * gainIm, re * gainIm + im * gainRe);
        }
        return cat(new[] { re, im }, dim: -1);                                     // (B, n, 2h)
    }
}
