using PhysMod.Physics;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Learning.Training;

/// <summary>Gradient clipping by global norm, as optax <c>clip_by_global_norm</c>: all gradients scaled by c / max(‖g‖, c).</summary>
/// <remarks>‖g‖ = √(Σ over every gradient tensor of Σ|g|²). When ‖g‖ &lt; c nothing changes; otherwise every gradient becomes
/// (g / ‖g‖)·c, computed in that order as optax does. A max norm of 0 disables clipping (the norm is still measured).</remarks>
public sealed class GlobalNormClip
{
    /// <summary>Clipping to <paramref name="maxNorm"/> (0 = none).</summary>
    public GlobalNormClip(double maxNorm)
    {
        InvalidSettingException.RequireNonNegative("training.clip_norm", maxNorm, "");
        MaxNorm = maxNorm;
    }

    /// <summary>The largest global norm let through (0 = no clipping).</summary>
    public double MaxNorm { get; }

    /// <summary>The global norm ‖g‖ of the gradients (null entries count as zero), as a double.</summary>
    public static double GlobalNorm(IEnumerable<Tensor?> gradients)
    {
        using var scope = NewDisposeScope();
        var norm = NormTensor(gradients);
        return norm is null ? 0 : norm.to_type(ScalarType.Float64).item<double>();
    }

    /// <summary>Clips the gradients in place; returns their global norm before clipping.</summary>
    public double Apply(IReadOnlyList<Tensor?> gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        using var scope = NewDisposeScope();
        var norm = NormTensor(gradients);
        if (norm is null) return 0;
        double value = norm.to_type(ScalarType.Float64).item<double>();
        if (MaxNorm > 0 && value >= MaxNorm && double.IsFinite(value))
        {
            using var noGrad = no_grad();
            // An explicit Scalar, alive until the loop ends. An implicitly converted one crashed here once ("Unknown scalar type"
            // in mul_, one hybrid run of ~10 under heavy load); the suspected cause, not proven, is its early finalisation.
            using var maxNorm = MaxNorm.ToScalar();
            var divisors = new Dictionary<ScalarType, Tensor>();                // the norm in each gradient dtype, converted once
            foreach (var g in gradients)
            {
                if (g is null) continue;
                var type = g.is_complex() ? RealType(g.dtype) : g.dtype;
                if (!divisors.TryGetValue(type, out var divisor)) divisors[type] = divisor = norm.to_type(type);
                g.div_(divisor).mul_(maxNorm);
            }
        }
        return value;
    }

    // Σ|g|² per tensor in its own precision, then the sum and root in float64 (a real scalar).
    private static Tensor? NormTensor(IEnumerable<Tensor?> gradients)
    {
        Tensor? total = null;
        foreach (var g in gradients)
        {
            if (g is null) continue;
            var squares = g.is_complex() ? (g.real.Squared() + g.imag.Squared()).sum() : g.Squared().sum();
            var term = squares.to_type(ScalarType.Float64);
            total = total is null ? term : total + term;
        }
        return total?.sqrt();
    }

    private static ScalarType RealType(ScalarType complexType) => complexType == ScalarType.ComplexFloat64 ? ScalarType.Float64 : ScalarType.Float32;
}
