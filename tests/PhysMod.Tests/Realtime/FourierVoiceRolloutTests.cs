using PhysMod.Learning.Models;
using PhysMod.Learning.Operators;
using Xunit.Abstractions;
using static PhysMod.Tests.Realtime.ModelVoiceTestKit;
using static TorchSharp.torch;

namespace PhysMod.Tests.Realtime;

/// <summary>The exported FRNN and FGRU voices reproduce the torch models' rollouts (float64 torch with the checkpoint's float32
/// weights as the reference: two code paths that must agree, one with FFTs, one with DFT matrices).</summary>
public sealed class FourierVoiceRolloutTests(ITestOutputHelper output)
{
    private const int Channels = 2;
    private const double Pickup = 0.82;

    public static TheoryData<string, int> Cases => new()
    {
        { "frnn-tanh-all-bins", 10_000 },
        { "frnn-relu-bins-grid", 10_000 },
        { "frnn-gelu-no-bias", 10_000 },
        { "fgru-all-bins", 10_000 },
        { "fgru-bins-grid-no-bias", 10_000 },
        { "frnn-relu-random-init", 10_000 },
        { "frnn-relu-modal-path", 10_000 },
        { "fgru-modal-path-grid", 10_000 },
    };

    private static (IModelFamily Family, object Config, int GridPoints) Case(string name) => name switch
    {
        "frnn-tanh-all-bins" => (new FrnnFamily(), new FrnnModelConfig { Width = 8, Depth = 2, Activation = "tanh", IdentityInit = true }, 9),
        "frnn-relu-bins-grid" => (new FrnnFamily(), new FrnnModelConfig { Width = 8, Depth = 3, NModes = 5, GridChannel = true, IdentityInit = true }, 12),
        "frnn-gelu-no-bias" => (new FrnnFamily(), new FrnnModelConfig { Width = 6, Depth = 1, Activation = "gelu", SpectralBias = false, IdentityInit = true }, 10),
        "fgru-all-bins" => (new FgruFamily(), new FgruModelConfig { Width = 8, UpdateGateBias = -3 }, 9),
        "fgru-bins-grid-no-bias" => (new FgruFamily(), new FgruModelConfig { Width = 8, NModes = 4, SpectralBias = false, GridChannel = true }, 11),
        "frnn-relu-random-init" => (new FrnnFamily(), new FrnnModelConfig { Width = 8, Depth = 3 }, 9),
        "frnn-relu-modal-path" => (new FrnnFamily(), new FrnnModelConfig { Width = 8, Depth = 3, LinearPath = "modal" }, 12),
        "fgru-modal-path-grid" => (new FgruFamily(), new FgruModelConfig { Width = 8, NModes = 4, GridChannel = true, UpdateGateBias = -3, LinearPath = "modal", PathModes = 6 }, 11),
        _ => throw new ArgumentException(name),
    };

    // A modal path (when the model has one) with slowly decaying rotations on its first modes, a small energy modulation and a
    // visible network share: random readout weights times σ = 0.05 (the fitted values of a real run are of the same form).
    private static void SetPath(ITrajectoryModel model)
    {
        var path = model switch { FrnnModel f => f.Path, FgruModel g => g.Path, _ => null };
        if (path is null) return;
        using var noGrad = no_grad();
        int modes = path.Modes, kept = Math.Min(modes, 5);
        var linear = new double[modes * Channels * Channels];
        var energy = new double[modes * Channels * Channels];
        for (int m = 0; m < kept; m++)
        {
            double angle = 0.3 * (m + 1), cos = Math.Cos(angle), sin = Math.Sin(angle);
            double[] rotation = [cos, -sin, sin, cos], derivative = [-sin, -cos, cos, -sin];             // [out, in]
            for (int i = 0; i < 4; i++)
            {
                linear[m * 4 + i] = 0.9995 * rotation[i];
                energy[m * 4 + i] = 1e-3 * derivative[i];
            }
        }
        path.StepLinear.copy_(tensor(linear, [modes, Channels, Channels]));
        path.StepEnergy.copy_(tensor(energy, [modes, Channels, Channels]));
        path.EnergyWeights.fill_(0.5);
        path.CorrectionScale.fill_(0.05);
        var readout = model.Module.named_parameters().Single(p => p.name == "readout.weight").parameter;
        readout.copy_(randn(readout.shape, generator: new TorchSharp.torch.Generator(11)) * 0.3);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void VoiceMatchesTorchRollout(string name, int steps)
    {
        var (family, config, gridPoints) = Case(name);
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, family, config, gridPoints, Channels, seed: 7, prepare: SetPath);
        using var twin = Widened(model, gridPoints);
        var x0 = InitialFrame(gridPoints, Channels, seed: 3);
        var reference = Rollout(twin, x0, gridPoints, Channels, steps);                                // (steps, W·C) float64

        var voice = Voice(run.Folder, x0, Pickup);
        var frames = new float[steps * gridPoints * Channels];
        voice.ProcessFrames(frames);
        double frameError = RelativeMaxError(frames, reference);
        voice.Reset();
        var samples = new float[steps];
        voice.Process(samples);
        double pickupError = RelativeMaxError(samples, Pickup(reference, gridPoints, Channels, Pickup));
        var torchFloat32 = Rollout(model, x0, gridPoints, Channels, steps);
        double torchError = RelativeMaxError(torchFloat32, reference);
        int size = gridPoints * Channels;
        double Late(ReadOnlySpan<float> a) => RelativeMaxError(a[(a.Length / 2)..], reference.AsSpan(reference.Length / 2));
        double lastPeak = reference.AsSpan(reference.Length - size).ToArray().Max(Math.Abs), peak = reference.Max(Math.Abs);
        double lateError = Late(frames);
        int early = 200 * size;
        double earlyError = RelativeMaxError(frames.AsSpan(0, early), reference.AsSpan(0, early));
        output.WriteLine($"{name}: {steps} steps: voice vs torch float64: frames {frameError:E2} (first 200 {earlyError:E2}, second half {lateError:E2}), pickup {pickupError:E2}; " +
            $"torch float32 vs float64: {torchError:E2}; peak {peak:E2}, last-frame peak {lastPeak:E2}");
        Assert.True(frameError <= 1e-4, $"{name}: full-frame relative error {frameError:E3} > 1e-4");
        Assert.True(earlyError <= 1e-4, $"{name}: relative error over the first 200 frames {earlyError:E3} > 1e-4");
        Assert.True(lateError <= 1e-4, $"{name}: second-half relative error {lateError:E3} > 1e-4");
        Assert.True(pickupError <= 1e-4, $"{name}: pickup relative error {pickupError:E3} > 1e-4");
        Assert.True(lastPeak > 1e-3 * peak, $"{name}: the rollout died out ({lastPeak:E2} of {peak:E2}), the late comparison would be empty");
    }
}
