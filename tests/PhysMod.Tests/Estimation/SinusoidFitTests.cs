using PhysMod.Learning.Training;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace PhysMod.Tests.Estimation;

/// <summary>The course's differentiable-synthesis exercises (spec §8.1, §2.1): a damped sinusoid and four modal poles recovered by Adam.</summary>
public sealed class SinusoidFitTests
{
    private static Tensor Softplus(Tensor x) => nn.functional.softplus(x);

    private static double InverseSoftplus(double x) => x + Math.Log(1 - Math.Exp(-x));

    [Fact]
    public void DampedSinusoidParametersAreRecovered()
    {
        // y = A e^{−γt} sin(2πft + φ), sr 8 kHz, 0.5 s; target A 0.8, γ 3, f 440 Hz, φ 0.6; start A 0.3, γ 1, f 430 (spec §8.1).
        using var scope = NewDisposeScope();
        var t = arange(4000, dtype: float64) / 8000.0;
        Tensor Synth(Tensor a, Tensor g, Tensor f, Tensor phi) => a * (-g * t).exp() * (2 * Math.PI * f * t + phi).sin();
        var target = Synth(tensor(0.8, float64), tensor(3.0, float64), tensor(440.0, float64), tensor(0.6, float64));
        var raw = new Parameter(tensor(new[] { InverseSoftplus(0.3), InverseSoftplus(1.0), InverseSoftplus(430.0), 0.0 }, float64));
        using var adam = AdamW.Adam([("raw", raw)]);
        for (int step = 0; step < 3000; step++)
        {
            using var inner = NewDisposeScope();
            raw.grad?.zero_();
            var p = Softplus(raw);
            var loss = (Synth(p[0], p[1], p[2], raw[3]) - target).square().mean();
            loss.backward();
            adam.Update(3e-2);
        }
        var fitted = Softplus(raw).data<double>().ToArray();
        double phase = raw[3].item<double>();
        Assert.Equal(440.0, fitted[2], 1e-3);
        Assert.Equal(0.8, fitted[0], 1e-3);
        Assert.Equal(3.0, fitted[1], 1e-2);
        Assert.Equal(0.6, Math.IEEERemainder(phase, 2 * Math.PI), 1e-3);
    }

    [Fact]
    public void FourModalPolesAreRecoveredFromTheComplexRecursion()
    {
        // spec §2.1 part 2: q = Re(z0 aⁿ), 4 modes, 2048 steps at 44.1 kHz; ω = ω_Nyq sigmoid(raw), γ = softplus(raw); Adam 1e-2.
        using var scope = NewDisposeScope();
        double dt = 1 / 44100.0, nyquist = Math.PI / dt;
        double[] trueF = [247.016, 494.249, 741.913, 990.224], trueGamma = [1.90561 / 2, 3.56450 / 2, 6.32932 / 2, 10.2001 / 2];
        double[] startF = [250, 490, 745, 985], startGamma = [1.0, 1.7, 3.2, 5.0];
        var n = arange(2048, dtype: float64).unsqueeze(1);   // (T, 1)
        var q0 = tensor(new[] { 7.5416e-4, 2.4316e-4, 5.5580e-5, -2.0469e-5 }, float64);
        Tensor Modes(Tensor omega, Tensor gamma) => q0 * (-gamma * n * dt).exp() * (omega * n * dt).cos();   // Re(z0 aⁿ) for real z0 = q0 (T, 4)
        var target = Modes(tensor(trueF, float64) * 2 * Math.PI, tensor(trueGamma, float64));
        var std = target.std(0).clamp_min(1e-10);
        var rawOmega = new Parameter(tensor(startF.Select(f => { double x = 2 * Math.PI * f / nyquist; return Math.Log(x / (1 - x)); }).ToArray(), float64));
        var rawGamma = new Parameter(tensor(startGamma.Select(InverseSoftplus).ToArray(), float64));
        using var adam = AdamW.Adam([("omega", rawOmega), ("gamma", rawGamma)]);
        for (int step = 0; step < 600; step++)
        {
            using var inner = NewDisposeScope();
            rawOmega.grad?.zero_(); rawGamma.grad?.zero_();
            var loss = ((Modes(nyquist * rawOmega.sigmoid(), Softplus(rawGamma)) - target) / std).square().mean();
            loss.backward();
            adam.Update(1e-2);
        }
        var f = (nyquist * rawOmega.sigmoid() / (2 * Math.PI)).data<double>().ToArray();
        var g = Softplus(rawGamma).data<double>().ToArray();
        for (int k = 0; k < 4; k++)
        {
            Assert.True(Math.Abs(f[k] - trueF[k]) < 0.05, $"mode {k + 1}: f {f[k]:F4} Hz vs {trueF[k]:F4}");
            Assert.True(Math.Abs(g[k] / trueGamma[k] - 1) < 0.05, $"mode {k + 1}: γ {g[k]:F4} vs {trueGamma[k]:F4}");
        }
    }
}
