using TorchSharp;
using PhysMod.Physics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Training;

/// <summary>Adam with decoupled weight decay, exactly as optax <c>adamw</c> (and <c>adam</c> when the decay is 0).</summary>
/// <remarks>
/// For each parameter p with gradient g, at update count n = 1, 2, …:
/// <code>
/// m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) |g|²
/// m̂ = m / (1 − β₁ⁿ)              v̂ = v / (1 − β₂ⁿ)
/// p ← p − lr · ( m̂ / (√v̂ + ε) + λ p )
/// </code>
/// with ε outside the square root (optax eps_root = 0) and the decay λ applied to every parameter (optax's default mask).
/// The moments are tensors of the parameter's dtype kept outside any dispose scope; <see cref="State"/> exposes them as
/// <c>optimizer.mu.NAME</c> and <c>optimizer.nu.NAME</c>.
/// </remarks>
public sealed class AdamW : IOptimiser, IDisposable
{
    private readonly (string Name, Parameter Parameter, Tensor Mu, Tensor Nu)[] _slots;

    /// <summary>AdamW over the named parameters (those that do not require gradients are skipped).</summary>
    public AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, double weightDecay = 1e-4, double beta1 = 0.9,
        double beta2 = 0.999, double epsilon = 1e-8, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        InvalidSettingException.RequireNonNegative("training.weight_decay", weightDecay, "");
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new InvalidSettingException($"adam betas ({beta1}, {beta2}) must be in [0, 1)");
        InvalidSettingException.RequirePositive("adam epsilon", epsilon, "");
        WeightDecay = weightDecay;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        Name = name ?? (weightDecay > 0 ? "adamw" : "adam");
        using (no_grad())
        {
            _slots = parameters.Where(p => p.Parameter.requires_grad)
                .Select(p => (p.Name, p.Parameter, zeros_like(p.Parameter).DetachFromDisposeScope(), zeros_like(p.Parameter).DetachFromDisposeScope()))
                .ToArray();
        }
        State = _slots.SelectMany(s => new[] { ($"optimizer.mu.{s.Name}", s.Mu), ($"optimizer.nu.{s.Name}", s.Nu) }).ToArray();
    }

    /// <summary>optax <c>adam</c>: the same update without weight decay.</summary>
    public static AdamW Adam(IEnumerable<(string Name, Parameter Parameter)> parameters, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        new(parameters, 0, beta1, beta2, epsilon, "adam");

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Decoupled weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <summary>First-moment decay β₁.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε added to √v̂.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public long Count { get; set; }

    /// <inheritdoc/>
    public IReadOnlyList<(string Name, Tensor Value)> State { get; }

    /// <summary>The optimised parameters by name.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> Parameters => _slots.Select(s => (s.Name, s.Parameter));

    /// <inheritdoc/>
    public void Update(double learningRate)
    {
        long n = Count + 1;
        double correction1 = 1 - Math.Pow(Beta1, n), correction2 = 1 - Math.Pow(Beta2, n);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Explicit Scalars held to the end of the update: TorchSharp does not keep implicitly converted ones alive during the
        // native call (see TensorSquares), and this loop makes several such calls per parameter and step.
        using Scalar beta1 = Beta1.ToScalar(), keep1 = (1 - Beta1).ToScalar(), beta2 = Beta2.ToScalar(), keep2 = (1 - Beta2).ToScalar();
        using Scalar bias1 = correction1.ToScalar(), bias2 = correction2.ToScalar(), epsilon = Epsilon.ToScalar();
        using Scalar decay = WeightDecay.ToScalar(), step = (-learningRate).ToScalar();
        foreach (var (_, p, mu, nu) in _slots)
        {
            var g = p.grad ?? zeros_like(p);
            mu.mul_(beta1).add_(g, alpha: keep1);
            var squared = g.is_complex() ? (g.real.Squared() + g.imag.Squared()).to_type(nu.dtype) : g.Squared();
            nu.mul_(beta2).add_(squared, alpha: keep2);
            var update = mu.div(bias1).div_(nu.div(bias2).sqrt_().add_(epsilon));
            if (WeightDecay > 0) update = update.add_(p.mul(decay));
            p.add_(update, alpha: step);
        }
        Count = n;
    }

    /// <summary>Frees the moment tensors.</summary>
    public void Dispose()
    {
        foreach (var (_, _, mu, nu) in _slots)
        {
            mu.Dispose();
            nu.Dispose();
        }
    }
}
