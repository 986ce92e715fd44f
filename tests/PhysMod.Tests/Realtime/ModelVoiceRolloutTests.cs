using PhysMod.Learning.Koopman;
using PhysMod.Learning.Ssm;
using PhysMod.Learning.Models;
using Xunit.Abstractions;
using static PhysMod.Tests.Realtime.ModelVoiceTestKit;

namespace PhysMod.Tests.Realtime;

/// <summary>The exported voices reproduce the torch models' rollouts over 10 000 steps (two code paths that must agree).</summary>
/// <remarks>The reference is the torch model evaluated in float64 with exactly the checkpoint's float32 weights: torch's own
/// float32 rollout forms λ^k as exp(k log λ) in float32, whose phase error grows like k·eps (≈1e-3 rad at k = 10⁴), so it is
/// not a reference at that horizon; its deviation from the float64 rollout is printed for comparison.</remarks>
public sealed class ModelVoiceRolloutTests(ITestOutputHelper output)
{
    private const int Steps = 10_000;
    private const int GridPoints = 9;
    private const int Channels = 2;
    private const double Pickup = 0.82;

    public static TheoryData<string> Cases => ["ssm-gelu", "ssm-long-memory-glu", "ssm-energy-phase", "koopman", "koopman-modulated-clipped", "koopman-energy-phase", "koopman-linear-skip"];

    private static (IModelFamily Family, object Config) Case(string name) => name switch
    {
        "ssm-gelu" => (new SsmFamily(), new SsmModelConfig { NLayers = 2, DHidden = 16 }),
        "ssm-long-memory-glu" => (new SsmFamily(), new SsmModelConfig { NLayers = 2, DHidden = 12, RMin = 0.995, RMax = 0.9999, MaxPhase = 0.3, Activation = "half_glu1" }),
        "ssm-energy-phase" => (new SsmFamily(), new SsmModelConfig { NLayers = 1, DHidden = 16, RMin = 0.999, RMax = 1.0, MaxPhase = Math.PI, EnergyPhase = true }),
        "koopman" => (new KoopmanFamily(), new KoopmanModelConfig { DLatent = 16, Width = 32, Depth = 2 }),
        "koopman-energy-phase" => (new KoopmanFamily(), new KoopmanModelConfig { DLatent = 16, Width = 32, Depth = 2, EnergyPhase = true }),
        "koopman-linear-skip" => (new KoopmanFamily(), new KoopmanModelConfig { DLatent = 16, Width = 32, Depth = 2, EnergyPhase = true, LinearSkip = true }),
        "koopman-modulated-clipped" => (new KoopmanFamily(), new KoopmanModelConfig { DLatent = 12, Width = 24, Depth = 1, UseModulation = true, ModulationWidth = 16, ModulationDepth = 2, ClipEigs = true }),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void VoiceMatchesTorchRolloutOverTenThousandSteps(string name)
    {
        var (family, config) = Case(name);
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, family, config, GridPoints, Channels, seed: 7);
        using var twin = Widened(model);
        var x0 = InitialFrame(GridPoints, Channels, seed: 3);
        var reference = Rollout(twin, x0, GridPoints, Channels, Steps);                                // (steps, W·C) float64

        var voice = Voice(run.Folder, x0, Pickup);
        var frames = new float[Steps * GridPoints * Channels];
        voice.ProcessFrames(frames);
        double frameError = RelativeMaxError(frames, reference);

        voice.Reset();
        var samples = new float[Steps];
        voice.Process(samples);
        double pickupError = RelativeMaxError(samples, Pickup(reference, GridPoints, Channels, Pickup));

        var torchFloat32 = Rollout(model, x0, GridPoints, Channels, Steps);
        double torchError = RelativeMaxError(torchFloat32, reference);
        // the second half on its own scale (floored at 1e-6 of the peak: the tutorial ring r ≤ 0.99 decays to ~1e-25 by then)
        double latePeak = reference.AsSpan(reference.Length / 2).ToArray().Max(Math.Abs), peak = reference.Max(Math.Abs);
        double lateScale = Math.Max(latePeak, 1e-6 * peak);
        double lateError = MaxDifference(frames.AsSpan(frames.Length / 2), reference.AsSpan(reference.Length / 2)) / lateScale;
        double lateTorchError = MaxDifference(torchFloat32.AsSpan(torchFloat32.Length / 2), reference.AsSpan(reference.Length / 2)) / lateScale;
        output.WriteLine($"{name}: voice vs torch float64: frames {frameError:E2} (second half {lateError:E2}), pickup {pickupError:E2}; " +
            $"torch float32 vs float64: {torchError:E2} (second half {lateTorchError:E2}); peak {peak:E2}, second-half peak {latePeak:E2}");
        Assert.True(frameError <= 1e-4, $"{name}: full-frame relative error {frameError:E3} > 1e-4");
        Assert.True(lateError <= 1e-4, $"{name}: second-half relative error {lateError:E3} > 1e-4");
        Assert.True(pickupError <= 1e-4, $"{name}: pickup relative error {pickupError:E3} > 1e-4");
    }

    private static double MaxDifference(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        double error = 0;
        for (int i = 0; i < expected.Length; i++) error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
        return error;
    }

    private static double MaxDifference(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        double error = 0;
        for (int i = 0; i < expected.Length; i++) error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
        return error;
    }
}
