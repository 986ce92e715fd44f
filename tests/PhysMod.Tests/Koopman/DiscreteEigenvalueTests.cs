using PhysMod.Learning.Koopman;
using PhysMod.Learning.Models;
using PhysMod.Physics;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Koopman;

/// <summary>Reading eigenvalues as Hz and seconds, and editing chosen eigenvalues' frequency and decay.</summary>
public sealed class DiscreteEigenvalueTests
{
    [Fact]
    public void ADampedSinusoidReadsBackItsFrequencyAndDecayTime()
    {
        const double fs = 16000, frequency = 247, decay = 0.8;
        var lambda = new DiscreteEigenvalue(0, LogModulus: -1 / (decay * fs), Phase: 2 * Math.PI * frequency / fs);
        Assert.Equal(frequency, lambda.FrequencyHz(fs), 9);
        Assert.Equal(decay, lambda.DecayTimeSeconds(fs), 9);
        Assert.Equal(Math.Exp(-1 / (decay * fs)), lambda.Modulus, 15);
        Assert.Equal(lambda.Modulus * Math.Cos(lambda.Phase), lambda.Real, 15);
        // a phase above π is heard aliased: 0.6 fs reads as 0.4 fs
        Assert.Equal(0.4 * fs, new DiscreteEigenvalue(1, -1e-3, 2 * Math.PI * 0.6).FrequencyHz(fs), 6);
        Assert.Equal(double.PositiveInfinity, new DiscreteEigenvalue(2, 0, 1).DecayTimeSeconds(fs));
    }

    [Fact]
    public void EigenvaluesAreTheDynamicsParameters()
    {
        using var scope = NewDisposeScope();
        using var model = new KoopmanModel(new KoopmanModelConfig { DLatent = 8, Width = 8, Depth = 1 }, 3, 2, seed: 4, ScalarType.Float64);
        var eigenvalues = model.Eigenvalues();
        Assert.Equal(4, eigenvalues.Count);
        var nu = model.Dynamics.Nu.data<double>().ToArray();
        var theta = model.Dynamics.Theta.data<double>().ToArray();
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(j, eigenvalues[j].Index);
            Assert.Equal(-Math.Exp(nu[j]), eigenvalues[j].LogModulus, 15);
            Assert.Equal(Math.Exp(theta[j]), eigenvalues[j].Phase, 15);
            Assert.InRange(eigenvalues[j].Modulus, 0.99, 1.0);
        }
    }

    [Fact]
    public void AnEditScalesExactlyTheChosenEigenvaluesFrequencyAndDecayTime()
    {
        using var scope = NewDisposeScope();
        const double fs = 16000;
        var config = new KoopmanModelConfig { DLatent = 12, Width = 8, Depth = 1, MaxPhase = 1.0 };   // phases ≤ 1 rad: ×1.5 stays below π
        using var model = new KoopmanModel(config, 3, 2, seed: 8, ScalarType.Float64);
        var before = model.Eigenvalues();
        int[] chosen = [1, 4];
        using var edited = model.WithEditedEigenvalues(new EigenvalueEdit(chosen, FrequencyScale: 1.5, DecayScale: 2.0));
        var after = edited.Eigenvalues();
        for (int j = 0; j < before.Count; j++)
        {
            if (chosen.Contains(j))
            {
                Assert.Equal(1.5 * before[j].Argument, after[j].Argument, 12);
                Assert.Equal(1.5 * before[j].FrequencyHz(fs), after[j].FrequencyHz(fs), 9);
                Assert.Equal(2.0 * before[j].DecayTimeSeconds(fs), after[j].DecayTimeSeconds(fs), 1e-9 * before[j].DecayTimeSeconds(fs));
                Assert.Equal(before[j].LogModulus / 2, after[j].LogModulus, 15);
            }
            else Assert.Equal(before[j], after[j]);
        }
        Assert.Equal(before, model.Eigenvalues());                                          // the original is untouched
        foreach (var ((name, original), (_, copy)) in model.named_parameters().Zip(edited.named_parameters()))
            if (!name.StartsWith("dynamics.")) Assert.True(original.allclose(copy, rtol: 0, atol: 0), name);

        // the edited latent advances by the edited eigenvalue: z_k = λ'^k z_0 in coordinate 1
        var z0 = zeros(1, 12, dtype: ScalarType.Float64);
        z0[0, 1] = 1.0;
        using var noGrad = no_grad();
        var z = edited.Dynamics.forward(z0, 10);
        var lambda = System.Numerics.Complex.FromPolarCoordinates(after[1].Modulus, after[1].Phase);
        var power = System.Numerics.Complex.Pow(lambda, 9);
        Assert.Equal(power.Real, z[0, 9, 1].item<double>(), 12);
        Assert.Equal(power.Imaginary, z[0, 9, 7].item<double>(), 12);
    }

    [Fact]
    public void AnEditedModelRendersADifferentSound()
    {
        using var scope = NewDisposeScope();
        using var model = new KoopmanModel(new KoopmanModelConfig { DLatent = 8, Width = 8, Depth = 1 }, 3, 2, seed: 2);
        using var edited = model.WithEditedEigenvalues(new EigenvalueEdit([0, 1, 2, 3], FrequencyScale: 0.5));
        using var unchanged = model.WithEditedEigenvalues(new EigenvalueEdit([0, 1, 2, 3]));
        var x0 = randn(new long[] { 1, 3, 2 }, generator: new Generator(1));
        using var noGrad = no_grad();
        Assert.False(model.Rollout(x0, 50).allclose(edited.Rollout(x0, 50)));
        Assert.True(model.Rollout(x0, 50).allclose(unchanged.Rollout(x0, 50), rtol: 0, atol: 0));
    }

    [Fact]
    public void BadEditsGiveOneClearError()
    {
        using var model = new KoopmanModel(new KoopmanModelConfig { DLatent = 8, Width = 8, Depth = 1 }, 3, 2, seed: 2);
        Assert.Contains("0 … 3", Assert.Throws<InvalidSettingException>(() => model.WithEditedEigenvalues(new EigenvalueEdit([4], 2.0))).Message);
        Assert.Throws<InvalidSettingException>(() => model.WithEditedEigenvalues(new EigenvalueEdit([0], FrequencyScale: 0)));
        Assert.Throws<InvalidSettingException>(() => model.WithEditedEigenvalues(new EigenvalueEdit([0], DecayScale: double.NaN)));
    }
}
