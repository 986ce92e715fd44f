using PhysMod.Learning.Operators;
using PhysMod.Physics;
using PhysMod.Tests.Koopman;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PhysMod.Tests.Operators;

/// <summary>The spectral convolution is a linear (non-circular) convolution with the kernel h = irfft(R), its autograd equals
/// central differences in float64, and it keeps shapes for odd and even grids.</summary>
public sealed class SpectralConv1dTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(7, 4, false)]
    [InlineData(8, 8, false)]
    [InlineData(9, 9, true)]
    [InlineData(12, 3, true)]
    public void EqualsADirectLinearConvolutionWithTheSameKernel(int points, int modes, bool bias)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11, CPU);
        const int batch = 2, inputs = 3, outputs = 2;
        using var layer = new SpectralConv1d("k", inputs, outputs, modes, generator, ScalarType.Float64, spectralBias: bias);
        var x = randn([batch, inputs, points], dtype: float64, generator: generator);                 // (B, I, W)
        double[] y;
        using (no_grad()) y = layer.forward(x).contiguous().data<double>().ToArray();              // (B, O, W)

        // Reference without any FFT: h_io[d] = (1/n)(Re R_0 + 2 Σ_{m≥1} Re(R_m e^{2πi m d / n})) for the lag d, and the bias
        // adds (1/√n)(Re β_0 + 2 Σ_{m≥1} Re(β_m e^{2πi m t / n})); n = 2W − 1 is odd, so there is no Nyquist bin.
        int n = 2 * points - 1;
        double[] re = layer.WeightReal.detach().contiguous().data<double>().ToArray(), im = layer.WeightImaginary.detach().contiguous().data<double>().ToArray();
        double[] input = x.contiguous().data<double>().ToArray();
        double[]? biasRe = null, biasIm = null;
        if (bias)
        {
            var named = layer.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            biasRe = named["bias_re"].detach().contiguous().data<double>().ToArray();
            biasIm = named["bias_im"].detach().contiguous().data<double>().ToArray();
        }
        double Kernel(int i, int o, int lag)
        {
            double sum = 0;
            for (int m = 0; m < modes; m++)
            {
                int k = (i * outputs + o) * modes + m;
                double angle = 2 * Math.PI * m * lag / n;
                double term = re[k] * Math.Cos(angle) - im[k] * Math.Sin(angle);
                sum += m == 0 ? re[k] : 2 * term;
            }
            return sum / n;
        }
        double worst = 0, norm = 0;
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < outputs; o++)
                for (int t = 0; t < points; t++)
                {
                    double expected = 0;
                    for (int i = 0; i < inputs; i++)
                        for (int s = 0; s < points; s++)
                            expected += Kernel(i, o, t - s) * input[(b * inputs + i) * points + s];
                    if (biasRe is not null && biasIm is not null)
                    {
                        double sum = 0;
                        for (int m = 0; m < modes; m++)
                        {
                            double angle = 2 * Math.PI * m * t / n;
                            double value = biasRe[o * modes + m] * Math.Cos(angle) - biasIm[o * modes + m] * Math.Sin(angle);
                            sum += m == 0 ? biasRe[o * modes] : 2 * value;
                        }
                        expected += sum / Math.Sqrt(n);
                    }
                    worst = Math.Max(worst, Math.Abs(y[(b * outputs + o) * points + t] - expected));
                    norm = Math.Max(norm, Math.Abs(expected));
                }
        output.WriteLine($"W = {points}, M = {modes}, bias {bias}: max |FFT − direct| = {worst:E2} (max |y| {norm:E2})");
        Assert.True(norm > 1e-3, "the reference output is all zero: the test would not see a difference");
        Assert.True(worst < 1e-12 * Math.Max(1, norm), $"max |FFT − direct| = {worst:E3}");
    }

    [Fact]
    public void TheConvolutionIsNotCircular()
    {
        // An impulse at the right end must not wrap around to the left end (a circular FFT of length W would put it there).
        using var scope = NewDisposeScope();
        using var generator = new Generator(5, CPU);
        const int points = 10;
        using var layer = new SpectralConv1d("k", 1, 1, points, generator, ScalarType.Float64);
        var impulse = zeros([1, 1, points], dtype: float64);
        impulse[0, 0, points - 1] = tensor(1.0, dtype: float64);
        var shifted = zeros([1, 1, points], dtype: float64);
        shifted[0, 0, 0] = tensor(1.0, dtype: float64);
        using var noGrad = no_grad();
        double[] right = layer.forward(impulse).contiguous().data<double>().ToArray();
        double[] left = layer.forward(shifted).contiguous().data<double>().ToArray();
        // Response to δ(s − (W−1)) at t is h(t − W + 1); response to δ(s) at t is h(t). They share only lag 0:
        // right[W−1] = left[0] = h(0), and left[1..] holds positive lags that a linear convolution never shows in right.
        Assert.Equal(left[0], right[points - 1], 12);
        double difference = 0;
        for (int t = 0; t < points - 1; t++) difference = Math.Max(difference, Math.Abs(right[t] - left[t + 1]));
        Assert.True(difference > 1e-6, "the response to an end impulse equals a wrapped-around one: the convolution is circular");
    }

    [Fact]
    public void GradientsMatchCentralDifferences()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(17, CPU);
        using var layer = new SpectralConv1d("k", 2, 3, 4, generator, ScalarType.Float64, spectralBias: true);
        var input = randn([2, 2, 6], dtype: float64, generator: generator).requires_grad_(true);        // (B, I, W)
        var weights = randn([2, 3, 6], dtype: float64, generator: generator);                             // (B, O, W)
        var parameters = layer.named_parameters().ToList();
        Func<Tensor> loss = () => (layer.forward(input) * weights).sum();
        double worst = FiniteDifferences.MaxGradientError(parameters, loss);
        output.WriteLine($"parameters: worst relative gradient error {worst:E2}");
        Assert.True(worst < 1e-7, $"parameter gradient error {worst:E3}");
        Assert.True(InputGradientError(input, loss) < 1e-7);
    }

    [Fact]
    public void FourierNetworkGradientsMatchCentralDifferences()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(23, CPU);
        using var network = new FourierNetwork("n", 3, 2, hidden: 4, modes: 5, layers: 2, projectionHidden: 6, generator, ScalarType.Float64);
        var input = randn([2, 7, 3], dtype: float64, generator: generator).requires_grad_(true);        // (B, W, C_in)
        var weights = randn([2, 7, 2], dtype: float64, generator: generator);                             // (B, W, C_out)
        Func<Tensor> loss = () => (network.forward(input) * weights).sum();
        double worst = FiniteDifferences.MaxGradientError(network.named_parameters(), loss);
        output.WriteLine($"FNO trunk: worst relative gradient error {worst:E2}");
        Assert.True(worst < 1e-6, $"parameter gradient error {worst:E3}");
        Assert.True(InputGradientError(input, loss) < 1e-6);
    }

    [Theory]
    [InlineData(7, 1)]
    [InlineData(7, 7)]
    [InlineData(8, 5)]
    [InlineData(8, 8)]
    [InlineData(101, 101)]
    public void KeepsTheShapeForOddAndEvenGrids(int points, int modes)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3, CPU);
        using var layer = new SpectralConv1d("k", 3, 5, modes, generator);
        using var noGrad = no_grad();
        var y = layer.forward(randn([4, 3, points], generator: generator));
        Assert.Equal(new long[] { 4, 5, points }, y.shape);
        Assert.True(isfinite(y).all().item<bool>());
    }

    [Fact]
    public void MoreModesThanTheGridOffersAreRefused()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3, CPU);
        using var layer = new SpectralConv1d("k", 1, 1, 9, generator);
        var error = Assert.Throws<InvalidSettingException>(() => layer.forward(zeros([1, 1, 8])));
        Assert.Contains("n_modes = 9", error.Message);
        Assert.Contains("1..8", error.Message);
        Assert.Throws<InvalidSettingException>(() => new SpectralConv1d("k", 1, 1, 0, generator));
    }

    [Fact]
    public void TheSameFunctionOnAFinerGridGivesTheSameOutput()
    {
        // Orthonormal forward and inverse scaling make the pair the plain DFT pair, so y(x) = Σ h(x − s) v(s) with h sampled at
        // the grid: a smooth input on W and on 2W − 1 points gives nearly the same function (the bins' physical frequencies
        // differ by the factor (2W − 1)/(2W), the known approximation of resolution transfer).
        using var scope = NewDisposeScope();
        using var generator = new Generator(29, CPU);
        using var layer = new SpectralConv1d("k", 1, 1, 6, generator, ScalarType.Float64);
        Tensor Field(int points)
        {
            var x = linspace(0, 1, points, dtype: float64);
            return (sin(Math.PI * x) + 0.3 * sin(2 * Math.PI * x)).reshape(1, 1, points);
        }
        using var noGrad = no_grad();
        var coarse = layer.forward(Field(51)).flatten();
        var fine = layer.forward(Field(101)).flatten();
        double difference = (fine.slice(0, 0, 101, 2) - coarse).abs().max().item<double>();
        double scale = coarse.abs().max().item<double>();
        output.WriteLine($"max |fine[::2] − coarse| = {difference:E2} of max |coarse| = {scale:E2}");
        Assert.True(difference < 0.05 * scale, $"fine vs coarse differ by {difference / scale:P1}");
    }

    [Fact]
    public void ReinitialiseScalesTheWeightsAndSetsAConstantBias()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(31, CPU);
        const int points = 9;
        using var layer = new SpectralConv1d("k", 2, 3, 5, generator, ScalarType.Float64, spectralBias: true);
        var x = randn([1, 2, points], dtype: float64, generator: generator);
        var zero = zeros([1, 2, points], dtype: float64);
        using var noGrad = no_grad();
        var before = layer.forward(zero);                                                              // bias response only
        var linearBefore = layer.forward(x) - before;
        var oldDc = layer.named_parameters().Single(p => p.name == "bias_re").parameter.select(1, 0) / Math.Sqrt(2 * points - 1);
        layer.Reinitialise(0.5, -3, points);
        var shift = layer.forward(zero) - before;                                                      // (1, O, W): −3 − old DC, at every point
        var expected = (-3 - oldDc).reshape(1, 3, 1).expand(1, 3, points);
        Assert.True((shift - expected).abs().max().item<double>() < 1e-12);
        Assert.True((layer.forward(x) - layer.forward(zero) - 0.5 * linearBefore).abs().max().item<double>() < 1e-12);
    }

    private static double InputGradientError(Tensor input, Func<Tensor> loss, double step = 1e-6)
    {
        input.grad?.zero_();
        using (var scope = NewDisposeScope()) loss().backward();
        var autograd = input.grad!.flatten().data<double>().ToArray();
        double worst = 0;
        using var noGrad = no_grad();
        var flat = input.view(-1);
        for (int i = 0; i < autograd.Length; i++)
        {
            var element = flat[i];
            double original = element.item<double>();
            element.fill_(original + step);
            double plus;
            using (var s = NewDisposeScope()) plus = loss().item<double>();
            element.fill_(original - step);
            double minus;
            using (var s = NewDisposeScope()) minus = loss().item<double>();
            element.fill_(original);
            double numeric = (plus - minus) / (2 * step);
            worst = Math.Max(worst, Math.Abs(autograd[i] - numeric) / Math.Max(1, Math.Abs(numeric)));
        }
        return worst;
    }
}
