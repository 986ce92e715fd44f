using PhysMod.Cli;
using PhysMod.Cli.Commands;
using PhysMod.Learning.Export;
using PhysMod.Learning.NeuralOde;
using PhysMod.Physics.Parameters;
using PhysMod.Realtime.Models;
using PhysMod.Tests.Cli;
using Xunit.Abstractions;
using static PhysMod.Tests.Realtime.ModelVoiceTestKit;
using static TorchSharp.torch;

namespace PhysMod.Tests.Realtime;

/// <summary>The hybrid neural-ODE voice (physics + learned residual force) reproduces the torch model's damped-Verlet rollout,
/// streams without allocating, and plays runs written by <c>physmod train node --config hybrid…</c>.</summary>
public sealed class HybridVoiceTests(ITestOutputHelper output)
{
    private const int Modes = 15;
    private const double SampleRate = 44100;
    private static readonly StringParameters Truth = StringParameters.NylonGuitarB;
    private static readonly HybridBurst TrainingBurst = new(70, 49, 600, 2000, 441);

    // The model with T0, EI, d1, d3 off the truth and (optionally) a random residual MLP whose force is ~20 % of ω²q.
    private static HybridStringModel Model(bool residual)
    {
        var model = new HybridStringModel(Truth, Modes, [Truth.T0 * 1.1, Truth.EI * 0.9, Truth.D1 * 1.2, Truth.D3 * 0.8]);
        if (!residual) return model;
        var (q, _) = Reference(model, 2000);                                                          // (T, N) physical only
        double qScale = q.square().mean().sqrt().item<double>();
        double forceScale;
        using (no_grad()) forceScale = (model.Coefficients().Omega2 * q).square().mean().sqrt().item<double>();
        model.Residual = new ResidualMlp(Modes, 32, 2, qScale, 0.2 * forceScale, new Generator(43));
        return model;
    }

    // torch: the training burst from rest, damped velocity Verlet, `steps` frames; q (T, N) and readout y (T).
    private static (Tensor Q, double[] Y) Reference(HybridStringModel model, int steps)
    {
        using var noGrad = no_grad();
        var burst = HybridExperiment.CosineBurst(TrainingBurst.Frames, TrainingBurst.Centre, TrainingBurst.Length, TrainingBurst.Frequency, TrainingBurst.Amplitude, SampleRate);
        var signal = new double[steps];
        burst.AsSpan(0, Math.Min(steps, burst.Length)).CopyTo(signal);
        var length = tensor(Truth.L, float64);
        var forces = tensor(signal, float64).unsqueeze(1) * StringCoefficients.Shapes(length, Modes, HybridExperiment.ForceFraction * Truth.L);   // (T, N)
        var start = zeros(1, Modes, dtype: float64);
        var (q, _) = RecurrentIntegrator.Verlet.Rollout(model.Coefficients(), start, start, 1 / SampleRate, steps - 1, forces.unsqueeze(0));
        var y = NodeOutputs.Readout(q[0], StringCoefficients.Shapes(length, Modes, HybridExperiment.PickupFraction * Truth.L));
        return (q[0], y);
    }

    private static HybridStringVoice Save(HybridStringModel model, string folder)
    {
        HybridModelFile.Save(Path.Combine(folder, HybridModelFile.FileName), model, Truth, SampleRate, HybridExperiment.PickupFraction,
            HybridExperiment.ForceFraction, TrainingBurst);
        return HybridVoices.Load(folder);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VoiceMatchesTorchRolloutOverTenThousandSteps(bool residual)
    {
        const int steps = 10_000;
        using var model = Model(residual);
        var (_, expected) = Reference(model, steps);
        using var run = new TempRun();
        var voice = Save(model, run.Folder);
        Assert.Equal(4 + (residual ? 15 * 32 + 32 + 32 * 32 + 32 + 32 * 15 + 15 : 0), voice.ParameterCount);
        var samples = new float[steps];
        voice.Process(samples);
        double error = RelativeMaxError(samples, expected);
        double late = RelativeMaxError(samples.AsSpan(steps / 2), expected.AsSpan(steps / 2));
        double peak = expected.Max(Math.Abs), latePeak = expected.AsSpan(steps / 2).ToArray().Max(Math.Abs);
        output.WriteLine($"residual {residual}: {steps} steps voice vs torch float64: {error:E2} (second half {late:E2}); peak {peak:E2}, second-half peak {latePeak:E2}");
        Assert.True(error <= 1e-4, $"relative error {error:E3} > 1e-4");
        Assert.True(late <= 1e-4, $"second-half relative error {late:E3} > 1e-4");
        Assert.True(latePeak > 0.05 * peak, "the rollout decayed too far for the late comparison to mean anything");
    }

    [Fact]
    public void StreamingContract()
    {
        using var model = Model(residual: true);
        using var run = new TempRun();
        var voice = Save(model, run.Folder);
        var block = new float[256];
        for (int i = 0; i < 4; i++) voice.Process(block);
        voice.Reset();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 40; i++)
        {
            voice.Process(block);
            if (i % 11 == 0) voice.Reset();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        voice.Reset();
        var whole = new float[5000];
        voice.Process(whole);
        voice.Reset();
        var ragged = new float[5000];
        int position = 0, k = 0;
        int[] sizes = [1, 17, 64, 333, 2, 4096];
        while (position < ragged.Length)
        {
            int size = Math.Min(sizes[k++ % sizes.Length], ragged.Length - position);
            voice.Process(ragged.AsSpan(position, size));
            position += size;
        }
        Assert.Equal(whole, ragged);
        Assert.Contains(whole, v => v != 0);
    }

    [Fact]
    public void ReexcitingAtABlockBoundaryReplacesTheWholeStateAndStopsTheForce()
    {
        using var model = Model(residual: true);
        using var run = new TempRun();
        var played = Save(model, run.Folder);
        var fresh = HybridVoices.Load(run.Folder);
        var q1 = Enumerable.Range(0, Modes).Select(m => 1e-4 / (m + 1) * (m % 2 == 0 ? 1 : -1)).ToArray();
        var v1 = Enumerable.Range(0, Modes).Select(m => 0.01 * Math.Sin(m + 1.0)).ToArray();
        var first = new float[700];
        played.Process(first);                                   // mid-burst, string moving
        var a = new float[3000];
        var b = new float[3000];
        long before = GC.GetAllocatedBytesForCurrentThread();
        played.SetInitialState(q1, v1);
        fresh.SetInitialState(q1, v1);
        played.Process(a);
        fresh.Process(b);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(b, a);                                      // the history before the boundary no longer matters
        Assert.Contains(a, v => v != 0);
        played.Reset();                                          // Reset returns to the constructed state with its force
        var again = new float[700];
        played.Process(again);
        Assert.Equal(first, again);
    }

    [Fact]
    public void TwoMinutesStayFiniteAndBounded()
    {
        using var model = Model(residual: true);
        using var run = new TempRun();
        var voice = Save(model, run.Folder);
        var block = new float[(int)SampleRate];
        double early = 0, late = 0;
        const int seconds = 120;
        for (int s = 0; s < seconds; s++)
        {
            voice.Process(block);
            foreach (float v in block)
            {
                Assert.True(float.IsFinite(v), $"non-finite sample after {s} s");
                if (s < 2) early = Math.Max(early, Math.Abs(v));
                else late = Math.Max(late, Math.Abs(v));
            }
        }
        output.WriteLine($"peak over the first 2 s {early:E3}, afterwards {late:E3}");
        Assert.True(early > 0);
        Assert.True(late <= 1.5 * early, $"late peak {late:E3} grew beyond 1.5 × the first 2 s peak {early:E3}");
    }

    [Fact]
    public void TrainedHybridRunRendersTheJointModel()
    {
        using var run = new TempRun();
        var config = NodeConfig.Resolve("hybrid-test", ["train_frames=600", "window=20", "updates=3", "joint_updates=3", "audio_seconds=0.01"]);
        HybridExperiment.Run(config, name => Path.Combine(run.Folder, name));
        var voice = HybridVoices.Load(run.Folder);
        var samples = new float[600];
        voice.Process(samples);
        // the experiment's joint-model WAV is the same rollout, peak-normalised to 0.95
        var wav = PhysMod.Audio.WavFile.Read(Path.Combine(run.Folder, "modal_nonlinearity_joint_model.wav")).Samples;
        Assert.Equal(600, wav.Length);
        double peak = samples.Max(MathF.Abs);
        double error = 0;
        for (int i = 0; i < wav.Length; i++) error = Math.Max(error, Math.Abs(0.95 * samples[i] / peak - wav[i]));
        output.WriteLine($"voice vs the experiment's joint WAV (peak-normalised): {error:E2}");
        Assert.True(error <= 1e-4, $"voice differs from the joint model's WAV by {error:E3}");

        string path = Path.Combine(run.Folder, "x.wav");
        var result = CliHarness.RunWith([RenderCommand.Create(RunVoiceFactory.Create)], "render", run.Folder, "--duration", "0.05", "--out", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal((int)(0.05 * SampleRate), PhysMod.Audio.WavFile.Read(path).Samples.Length);
        var plucked = CliHarness.RunWith([RenderCommand.Create(RunVoiceFactory.Create)], "render", run.Folder, "--excite", "pluck:x=0.2,h=0.002", "--duration", "0.05", "--out", path);
        Assert.True(plucked.ExitCode == 0, plucked.ToString());
        var strike = CliHarness.RunWith([RenderCommand.Create(RunVoiceFactory.Create)], "render", run.Folder, "--excite", "strike", "--duration", "0.05", "--out", path);
        CliHarness.AssertFailsWithOneLine(strike, "is a force");

        File.Delete(Path.Combine(run.Folder, HybridModelFile.FileName));                             // e.g. a tutorial or rk4 node run
        var missing = CliHarness.RunWith([RenderCommand.Create(RunVoiceFactory.Create)], "render", run.Folder, "--out", path);
        CliHarness.AssertFailsWithOneLine(missing, HybridModelFile.FileName, "hybrid");
    }
}
