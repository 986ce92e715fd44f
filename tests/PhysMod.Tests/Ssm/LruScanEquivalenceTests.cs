using PhysMod.Learning.Ssm;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PhysMod.Tests.Ssm;

/// <summary>The evaluations of the LRU sequence mode (log-depth scan, recurrence, FFT convolution, fused C# kernel) and the
/// initial-condition mode are the same linear map.</summary>
public sealed class LruScanEquivalenceTests(ITestOutputHelper output)
{
    [Fact]
    public void ScanRecurrenceAndConvolutionAgreeInFloat32AtTwoHundredFrames()
    {
        using var scope = NewDisposeScope();
        const int model = 202, hidden = 128, frames = 200;
        using var layer = SsmTestKit.Layer(model, hidden, 0.9, 0.99, Math.PI / 2, feedthrough: true, seed: 3);
        using var generator = new Generator(11, CPU);
        var input = SsmTestKit.Random(generator, float32, 4, frames, model);                          // (B, T, D)
        using var _ = no_grad();
        var scan = layer.Sequence(input, LruScan.Parallel);
        var recurrence = layer.Sequence(input, LruScan.Recurrence);
        var convolution = layer.Sequence(input, LruScan.Convolution);
        var fused = layer.Sequence(input, LruScan.Fused);
        double scanVsRecurrence = SsmTestKit.RelativeMaxError(scan, recurrence);
        double convolutionVsRecurrence = SsmTestKit.RelativeMaxError(convolution, recurrence);
        double scanVsConvolution = SsmTestKit.RelativeMaxError(scan, convolution);
        double fusedVsRecurrence = SsmTestKit.RelativeMaxError(fused, recurrence);
        output.WriteLine($"T = {frames}, D = {model}, H = {hidden}, float32: scan vs recurrence {scanVsRecurrence:E2}, " +
                         $"convolution vs recurrence {convolutionVsRecurrence:E2}, scan vs convolution {scanVsConvolution:E2}, " +
                         $"fused vs recurrence {fusedVsRecurrence:E2} (max-abs relative)");
        Assert.True(scanVsRecurrence <= 1e-5, $"scan vs recurrence {scanVsRecurrence:E2}");
        Assert.True(convolutionVsRecurrence <= 1e-5, $"convolution vs recurrence {convolutionVsRecurrence:E2}");
        Assert.True(scanVsConvolution <= 1e-5, $"scan vs convolution {scanVsConvolution:E2}");
        Assert.True(fusedVsRecurrence <= 1e-5, $"fused vs recurrence {fusedVsRecurrence:E2}");
    }

    [Fact]
    public void ScanStaysAccurateOnALongSequenceNearTheUnitCircleWhereTheClosedFormFails()
    {
        using var scope = NewDisposeScope();
        const int model = 4, hidden = 16, frames = 4000;
        const double rMin = 0.9, rMax = 0.9999, maxPhase = Math.PI;
        using var layer = SsmTestKit.Layer(model, hidden, rMin, rMax, maxPhase, feedthrough: true, seed: 5);
        using var exact = SsmTestKit.WidenedTwin(layer, rMin, rMax, maxPhase, seed: 5);
        using var generator = new Generator(13, CPU);
        var input = SsmTestKit.Random(generator, float32, 2, frames, model);                          // (B, T, D)
        using var _ = no_grad();
        var reference = exact.Sequence(input.to(float64), LruScan.Recurrence);                         // float64 truth
        double scan = SsmTestKit.RelativeMaxError(layer.Sequence(input, LruScan.Parallel), reference);
        double recurrence = SsmTestKit.RelativeMaxError(layer.Sequence(input, LruScan.Recurrence), reference);
        double convolution = SsmTestKit.RelativeMaxError(layer.Sequence(input, LruScan.Convolution), reference);
        double fused = SsmTestKit.RelativeMaxError(layer.Sequence(input, LruScan.Fused), reference);
        double closedForm = SsmTestKit.RelativeMaxError(ClosedFormStates(layer, input), ClosedFormStatesReference(exact, input));
        output.WriteLine($"T = {frames}, |λ| in [{rMin}, {rMax}], float32 vs float64 recurrence: scan {scan:E2}, recurrence {recurrence:E2}, " +
                         $"convolution {convolution:E2}, fused {fused:E2}; cumprod/cumsum closed form states {closedForm:E2}");
        Assert.True(scan <= 1e-5, $"scan {scan:E2}");
        Assert.True(convolution <= 1e-5, $"convolution {convolution:E2}");
        Assert.True(recurrence <= 1e-5 && fused <= 1e-5, $"recurrence {recurrence:E2}, fused {fused:E2}");
        // λ^{−k} overflows float32 once |λ|^k < 1e−38 (k ≈ 840 at |λ| = 0.9): the closed form gives inf/NaN states.
        Assert.False(closedForm <= 1e-2, $"the closed form was expected to fail, got {closedForm:E2}");
    }

    [Fact]
    public void ScanRecurrenceAndConvolutionAgreeInFloat64()
    {
        using var scope = NewDisposeScope();
        using var layer = SsmTestKit.Layer(7, 9, 0.5, 0.999, Math.PI, feedthrough: true, seed: 8, ScalarType.Float64);
        using var generator = new Generator(2, CPU);
        var input = SsmTestKit.Random(generator, float64, 3, 37, 7);                                   // odd T: partial scan passes
        using var _ = no_grad();
        var recurrence = layer.Sequence(input, LruScan.Recurrence);
        Assert.True(SsmTestKit.RelativeMaxError(layer.Sequence(input, LruScan.Parallel), recurrence) <= 1e-13);
        Assert.True(SsmTestKit.RelativeMaxError(layer.Sequence(input, LruScan.Convolution), recurrence) <= 1e-12);
        Assert.True(SsmTestKit.RelativeMaxError(layer.Sequence(input, LruScan.Fused), recurrence) <= 1e-13);
    }

    [Fact]
    public void InitialConditionModeEqualsTheRecurrenceDrivenByAnImpulse()
    {
        using var scope = NewDisposeScope();
        const int model = 12, frames = 300;
        using var layer = SsmTestKit.Layer(model, 24, 0.9, 0.99, Math.PI / 2, feedthrough: false, seed: 21);
        using var generator = new Generator(4, CPU);
        var x0 = SsmTestKit.Random(generator, float32, 3, model);                                      // (B, D)
        var impulse = zeros(3, frames, model);                                                         // (B, T, D)
        impulse.select(1, 0).copy_(x0);
        using var _ = no_grad();
        var expanded = layer.Expand(x0, frames);
        double error = SsmTestKit.RelativeMaxError(expanded, layer.Sequence(impulse, LruScan.Recurrence));
        output.WriteLine($"initial-condition mode vs recurrence with zero input after frame 0, T = {frames}: {error:E2}");
        Assert.Equal(new long[] { 3, frames, model }, expanded.shape);
        Assert.True(error <= 1e-5, $"{error:E2}");
    }

    // Test-only demonstration of the unstable closed form h_k = λ^k Σ_{j≤k} λ^{−j} B̄u_j (never used by the library).
    private static Tensor ClosedFormStates(LruLayer layer, Tensor input)
    {
        int frames = (int)input.shape[1];
        var drive = matmul(input.to(layer.InputMatrix().dtype), layer.InputMatrix().transpose(0, 1));   // (B, T, H) complex
        var powers = cumprod(layer.Lambda().unsqueeze(0).expand(frames, -1), 0) / layer.Lambda();      // λ^k, (T, H)
        return powers * cumsum(drive / powers, 1);
    }

    private static Tensor ClosedFormStatesReference(LruLayer exact, Tensor input)
    {
        var drive = matmul(input.to(float64).to(exact.InputMatrix().dtype), exact.InputMatrix().transpose(0, 1));
        return LruLayer.Recur(exact.Lambda(), drive);
    }
}
