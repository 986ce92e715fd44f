using PhysMod.Learning.Operators;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Operators;

/// <summary>The matrix form of the spectral convolution's transforms equals torch.fft (rfft_n / irfft_n with n = 2W − 1,
/// orthonormal, truncated), and the batched spectral product's gradients equal those of the built-in batched product.</summary>
public sealed class TruncatedDftTests
{
    [Theory]
    [InlineData(101, 101)]
    [InlineData(64, 12)]
    [InlineData(7, 4)]
    [InlineData(1, 1)]
    public void ForwardEqualsTheTruncatedOrthonormalRfft(int points, int modes)
    {
        using var scope = NewDisposeScope();
        using var dft = new TruncatedDft(points, modes, ScalarType.Float64, CPU);
        var signal = randn([3, 2, points], dtype: float64);                                                     // (B, I, W)
        var expected = fft.rfft(signal, 2L * points - 1, -1, FFTNormType.Ortho).narrow(-1, 0, modes);          // (B, I, M)
        var pairs = signal.matmul(dft.Forward).view(3, 2, modes, 2);                                            // (B, I, M, 2)
        var difference = (view_as_complex(pairs) - expected).abs().max().item<double>();
        Assert.True(difference < 1e-12 * Math.Max(1, points), $"max difference {difference:E2}");
    }

    [Theory]
    [InlineData(101, 101)]
    [InlineData(64, 12)]
    [InlineData(7, 4)]
    [InlineData(1, 1)]
    public void InverseEqualsTheCroppedOrthonormalIrfftWithTheOtherBinsZero(int points, int modes)
    {
        using var scope = NewDisposeScope();
        using var dft = new TruncatedDft(points, modes, ScalarType.Float64, CPU);
        var spectrum = complex(randn([3, 2, modes], dtype: float64), randn([3, 2, modes], dtype: float64));   // (B, O, M)
        var expected = fft.irfft(spectrum, 2L * points - 1, -1, FFTNormType.Ortho).narrow(-1, 0, points);    // (B, O, W)
        var actual = view_as_real(spectrum).reshape(3, 2, 2L * modes).matmul(dft.Inverse);                     // (B, O, W)
        var difference = (actual - expected).abs().max().item<double>();
        Assert.True(difference < 1e-12 * Math.Max(1, points), $"max difference {difference:E2}");
    }

    [Fact]
    public void MoreBinsThanSamplesAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TruncatedDft(5, 6, ScalarType.Float32, CPU));

    [Fact]
    public void SpectralProductGradientsEqualTheBuiltInBatchedProduct()
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(5, CPU);
        Tensor Random(params long[] shape) =>
            complex(randn(shape, dtype: float64, generator: generator), randn(shape, dtype: float64, generator: generator));
        var spectra = Random(4, 3, 5);                                                                          // (M, B, I)
        var weights = Random(4, 5, 2);                                                                          // (M, I, O)
        var upstream = Random(3, 2, 4);                                                                         // (B, O, M)
        (Tensor Output, Tensor Spectra, Tensor Weights) Run(Func<Tensor, Tensor, Tensor> product)
        {
            var v = spectra.detach().requires_grad_(true);
            var r = weights.detach().requires_grad_(true);
            var y = product(v, r);                                                                              // (M, B, O)
            // a real loss through a permute, as in the layer: the gradient reaching the product is not contiguous
            var loss = (view_as_real(y.permute(1, 2, 0)) * view_as_real(upstream)).sum();
            loss.backward();
            return (y.detach(), v.grad!, r.grad!);
        }
        var ours = Run(SpectralProduct.Apply);
        var builtIn = Run((v, r) => v.bmm(r));
        Assert.True(ours.Output.allclose(builtIn.Output, rtol: 0, atol: 1e-13));
        Assert.True(ours.Spectra.allclose(builtIn.Spectra, rtol: 0, atol: 1e-13));
        Assert.True(ours.Weights.allclose(builtIn.Weights, rtol: 0, atol: 1e-13));
        Assert.True(ours.Weights.abs().max().item<double>() > 0.1);
    }
}
