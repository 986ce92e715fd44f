using PhysMod.Learning.Baselines;
using PhysMod.Learning.Inspection;
using PhysMod.Learning.Ssm;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Inspection;

/// <summary>Eigenvalues read from fitted and trained models: a DMD fit recovers the damped sinusoids that made its data, and
/// the LRU layers report their own parameters.</summary>
public sealed class ModelEigenvalueTests
{
    [Fact]
    public void DmdRecoversTheFrequenciesAndDecaysOfTwoDampedModes()
    {
        // x_k = Σ_m Re(b_m λ_m^k v_m): fixed complex mode shapes v_m, amplitudes b_m per trajectory, λ_m = e^{−1/(τ_m fs) + iω_m}
        const double fs = 1000;
        double[] frequencies = [50, 130], decays = [0.2, 0.05];
        const int trajectories = 6, frames = 60, points = 5;
        var random = new Random(3);
        var shapes = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, points)
            .Select(_ => new System.Numerics.Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5)).ToArray()).ToArray();
        var field = new double[trajectories * frames * points];
        for (int n = 0; n < trajectories; n++)
            for (int m = 0; m < 2; m++)
            {
                var amplitude = new System.Numerics.Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5);
                var lambda = System.Numerics.Complex.Exp(new System.Numerics.Complex(-1 / (decays[m] * fs), 2 * Math.PI * frequencies[m] / fs));
                for (int k = 0; k < frames; k++)
                    for (int i = 0; i < points; i++)
                        field[(n * frames + k) * points + i] += (amplitude * System.Numerics.Complex.Pow(lambda, k) * shapes[m][i]).Real;
            }
        using var scope = NewDisposeScope();
        using var model = new DmdModel(new DmdModelConfig { Rank = 4, Ridge = 0 }, points, 1);
        model.Fit(tensor(field, [trajectories, frames, points, 1]));
        var rows = EigenvalueTable.Rows(model.Eigenvalues(), fs);
        Assert.Equal(2, rows.Count);
        for (int m = 0; m < 2; m++)
        {
            Assert.Equal("operator", rows[m].Group);
            Assert.InRange(rows[m].FrequencyHz / frequencies[m], 1 - 1e-8, 1 + 1e-8);
            Assert.InRange(rows[m].DecayTimeSeconds / decays[m], 1 - 1e-6, 1 + 1e-6);
        }
    }

    [Fact]
    public void LruLayersReportTheirOwnParameters()
    {
        using var scope = NewDisposeScope();
        using var model = new StackedSsm(new SsmModelConfig { NLayers = 1, DHidden = 4 }, 3, 2, trainFrames: 5, seed: 1);
        var eigenvalues = model.Eigenvalues();
        Assert.Equal(["first layer", "layer 1"], eigenvalues.Select(e => e.Group).Distinct());
        Assert.Equal(8, eigenvalues.Count);
        var lambda = model.First.Lambda().to(ScalarType.ComplexFloat64);
        for (int j = 0; j < 4; j++)
        {
            var e = eigenvalues[j];
            Assert.Equal(j, e.Index);
            Assert.Equal(real(lambda[j]).item<double>(), e.Real, 6);
            Assert.Equal(imag(lambda[j]).item<double>(), e.Imaginary, 6);
        }
    }
}
