using System.Text.Json;
using PhysMod.Learning.Operators;
using PhysMod.Physics;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Operators;

/// <summary>The structured initialisations of the recurrent and autoregressive operators: an identity spectral layer, a
/// constant spectral bias, the FGRU's identity candidate and reset-gate bias, and the FNO-AR's zero output layer.</summary>
public sealed class OperatorInitialisationTests
{
    [Theory]
    [InlineData(9, 9)]
    [InlineData(8, 8)]
    [InlineData(10, 4)]
    public void AnIdentityLayerKeepsTheLowestBinsOfItsInput(int points, int modes)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(21, CPU);
        using var layer = new SpectralConv1d("k", 3, 3, modes, generator, ScalarType.Float64, spectralBias: true);
        layer.SetIdentity();
        var x = randn([2, 3, points], dtype: float64, generator: generator);                           // (B, I, W)
        using var noGrad = no_grad();
        var linear = layer.forward(x) - layer.forward(zeros_like(x));                                  // (B, O, W)
        // Reference without an FFT: the identity R on bins m < M is the kernel h[d] = (1/n)(1 + 2 Σ_{1≤m<M} cos(2π m d / n)),
        // n = 2W − 1, applied as a linear convolution on each channel (M = W: h is a unit impulse at d = 0 and y = x).
        int n = 2 * points - 1;
        var kernel = new double[points, points];
        for (int t = 0; t < points; t++)
            for (int s = 0; s < points; s++)
            {
                double sum = 1;
                for (int m = 1; m < modes; m++) sum += 2 * Math.Cos(2 * Math.PI * m * (t - s) / n);
                kernel[t, s] = sum / n;
            }
        var expected = x.matmul(tensor(kernel).t());                                                   // (B, I, W)
        Assert.True((linear - expected).abs().max().item<double>() < 1e-12);
        if (modes == points) Assert.True((linear - x).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void AConstantBiasAddsTheConstantAtEveryPointAndNothingElse()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(22, CPU);
        const int points = 11;
        using var layer = new SpectralConv1d("k", 2, 3, 6, generator, ScalarType.Float64, spectralBias: true);
        layer.SetConstantBias(4.5, points);
        using var noGrad = no_grad();
        var response = layer.forward(zeros([1, 2, points], dtype: float64));                           // (1, O, W)
        Assert.True((response - 4.5).abs().max().item<double>() < 1e-12);
        using var plain = new SpectralConv1d("p", 2, 2, 3, generator);
        Assert.Throws<InvalidOperationException>(() => plain.SetConstantBias(1, points));
        using var rectangular = new SpectralConv1d("r", 2, 3, 3, generator);
        Assert.Throws<InvalidOperationException>(rectangular.SetIdentity);
    }

    [Fact]
    public void TheGruIdentityInitGivesTheStatedResetGateAndAnIdentityCandidate()
    {
        using var scope = NewDisposeScope();
        const int points = 9, width = 4;
        var config = new FgruModelConfig { Width = width, IdentityInit = true, ResetGateBias = 5, UpdateGateBias = -1 };
        using var model = new FgruModel(config, points, 2, seed: 3, ScalarType.Float64);
        var layers = model.named_children().Where(c => c.module is SpectralConv1d).ToDictionary(c => c.name, c => (SpectralConv1d)c.module, StringComparer.Ordinal);
        using var generator = new Generator(4, CPU);
        var h = randn([2, width, points], dtype: float64, generator: generator);                      // (B, H, W)
        var zero = zeros_like(h);
        using var noGrad = no_grad();
        // r = σ(5) for a zero hidden field, at every point.
        var r = sigmoid(layers["reset_gate"].forward(zero));
        Assert.True((r - 1 / (1 + Math.Exp(-5))).abs().max().item<double>() < 1e-12);
        // All bins kept (n_modes = 0 → W): the candidate's linear part is the identity.
        var candidate = layers["candidate"];
        Assert.True((candidate.forward(h) - candidate.forward(zero) - h).abs().max().item<double>() < 1e-12);
        // Hence one cell step from h is h + z ⊙ (tanh(r ⊙ h + c) − h) with c the candidate's bias response.
        var z = sigmoid(layers["update_gate"].forward(h));
        var rh = sigmoid(layers["reset_gate"].forward(h)) * h;
        var expected = h + z * (tanh(rh + candidate.forward(zero)) - h);
        Assert.True((model.Cell(h) - expected).abs().max().item<double>() < 1e-12);
        // The update gate's constant (DC bin) is −1: its response to a zero field averages −1 plus the random other bins.
        Assert.Equal(-1, layers["update_gate"].forward(zero).mean().item<double>(), 1);
        Assert.Contains("reset_gate_bias", Assert.Throws<InvalidSettingException>(() =>
            FgruModelConfig.FromJson(JsonDocument.Parse("""{"reset_gate_bias": 2, "spectral_bias": false}""").RootElement)).Message);
    }

    [Fact]
    public void TheGruDefaultsStillDrawTheRandomCandidate()
    {
        using var scope = NewDisposeScope();
        // Old run folders hold no identity_init / reset_gate_bias keys: they parse to false / 0 and build the same weights.
        var old = FgruModelConfig.FromJson(JsonDocument.Parse("""{"width": 4, "n_modes": 3, "update_gate_bias": -3}""").RootElement);
        Assert.False(old.IdentityInit);
        Assert.Equal(0, old.ResetGateBias);
        using var model = new FgruModel(old, 8, 2, seed: 5, ScalarType.Float64);
        var layers = model.named_children().Where(c => c.module is SpectralConv1d).ToDictionary(c => c.name, c => (SpectralConv1d)c.module, StringComparer.Ordinal);
        var identity = eye(4, dtype: float64).unsqueeze(-1).expand(4, 4, 3);
        Assert.True((layers["candidate"].WeightReal - identity).abs().max().item<double>() > 0.5);
        using var noGrad = no_grad();
        var reset = layers["reset_gate"].forward(zeros([1, 4, 8], dtype: float64));                   // random bias: not constant
        Assert.True((reset - reset.mean()).abs().max().item<double>() > 1e-6);
    }

    [Theory]
    [InlineData("residual")]
    [InlineData("direct")]
    public void AZeroOutputOperatorStartsAsPersistenceOrZero(string update)
    {
        using var scope = NewDisposeScope();
        var config = new FnoArModelConfig { Hidden = 6, Layers = 2, ProjectionHidden = 8, GridChannel = true, Update = update, ZeroInitOutput = true };
        using var model = new FnoArModel(config, 12, 2, seed: 7);
        using var generator = new Generator(8, CPU);
        var x0 = randn([3, 12, 2], generator: generator);                                              // (B, W, C)
        using (no_grad())
        {
            var rollout = model.Rollout(x0, 6);                                                        // (B, 6, W, C)
            var expected = update == "residual" ? x0.unsqueeze(1).expand(3, 6, 12, 2) : cat([x0.unsqueeze(1), zeros([3, 5, 12, 2])], 1);
            Assert.Equal(0, (rollout - expected).abs().max().item<float>());
        }
        // The zero layer still learns: its weight gets a non-zero gradient from the window loss.
        var batch = randn([2, 12, 12, 2], generator: generator);                                       // (B, T, W, C)
        model.Loss(batch).Total.backward();
        var grads = model.named_parameters().Where(p => p.parameter.grad is not null).Select(p => p.parameter.grad!.abs().sum().item<float>());
        Assert.Contains(grads, g => g > 0);
        Assert.False(FnoArModelConfig.FromJson(JsonDocument.Parse("""{"hidden": 4}""").RootElement).ZeroInitOutput);
    }
}
