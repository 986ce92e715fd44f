using PhysMod.Physics;
using static TorchSharp.torch;

namespace PhysMod.Learning.Estimation;

/// <summary>Gain-invariant losses between a synthesised and a recorded signal: waveform MSE, log-magnitude STFT and multi-resolution STFT.</summary>
/// <remarks>
/// mse: with the optimal gain g = ⟨ŷ, y⟩/⟨ŷ, ŷ⟩, ℓ = ‖g ŷ − y‖²/‖y‖².
/// logmag: both signals scaled to unit RMS, Hann STFT (2048, hop 512): ℓ = mean (log(ε + |Ŷ|) − log(ε + |Y|))², ε = 1e-3.
/// mrstft: Σ over n ∈ {256, 1024, 4096} (hop n/4) of spectral convergence ‖|Ŷ| − |Y|‖_F/‖|Y|‖_F plus mean |log(ε + |Ŷ|) − log(ε + |Y|)|.
/// </remarks>
public sealed class AudioLoss
{
    private const double Epsilon = 1e-3;

    private AudioLoss(string name) => Name = name;

    /// <summary>mse, logmag or mrstft.</summary>
    public string Name { get; }

    /// <summary>Every loss name.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mrstft", "logmag", "mse"];

    /// <summary>The loss of that name, or one clear error.</summary>
    public static AudioLoss Parse(string name) => Names.Contains(name)
        ? new AudioLoss(name)
        : throw new InvalidSettingException($"--loss '{name}': allowed are {string.Join(", ", Names)}");

    /// <summary>The loss of <paramref name="estimate"/> against <paramref name="target"/>. Shapes: (T) each; returns a scalar.</summary>
    public Tensor Compute(Tensor estimate, Tensor target)
    {
        if (Name == "mse")
        {
            var gain = (estimate * target).sum() / (estimate * estimate).sum().clamp_min(1e-300);
            return (gain * estimate - target).Squared().sum() / target.Squared().sum();
        }
        var a = estimate / estimate.Squared().mean().sqrt().clamp_min(1e-300);
        var b = target / target.Squared().mean().sqrt().clamp_min(1e-300);
        if (Name == "logmag")
            return ((Epsilon + Magnitude(a, 2048)).log() - (Epsilon + Magnitude(b, 2048)).log()).Squared().mean();
        Tensor? total = null;
        foreach (int size in new[] { 256, 1024, 4096 })
        {
            var ma = Magnitude(a, size);
            var mb = Magnitude(b, size);
            var term = (ma - mb).norm() / mb.norm() + ((Epsilon + ma).log() - (Epsilon + mb).log()).abs().mean();
            total = total is null ? term : total + term;
        }
        return total!;
    }

    /// <summary>|STFT| with a periodic Hann window of n samples, hop n/4, no padding (windows longer than the signal shrink to it). Shape: (frames, n/2+1).</summary>
    public static Tensor Magnitude(Tensor signal, int size)
    {
        size = (int)Math.Min(size, signal.shape[0]);
        var window = hann_window(size, periodic: true, dtype: signal.dtype);
        var frames = signal.unfold(0, size, Math.Max(1, size / 4)) * window;   // (frames, n)
        return fft.rfft(frames, dim: -1).abs();
    }
}
