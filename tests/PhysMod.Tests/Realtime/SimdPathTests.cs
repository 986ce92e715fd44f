using PhysMod.Learning.Koopman;
using PhysMod.Learning.Models;
using PhysMod.Learning.Operators;
using PhysMod.Learning.Ssm;
using PhysMod.Realtime;
using PhysMod.Realtime.Models;
using Xunit.Abstractions;
using static PhysMod.Tests.Realtime.ModelVoiceTestKit;

namespace PhysMod.Tests.Realtime;

/// <summary>Every SIMD path (Vector512, System.Numerics.Vector&lt;float&gt;, scalar) computes the same results: bit for bit where
/// the operations are the same in the same order (GEMMs, pointwise layers, the bank's per-voice update), to float32 rounding
/// where sums are grouped by the vector width or exp is another implementation.</summary>
public sealed class SimdPathTests(ITestOutputHelper output)
{
    public static TheoryData<SimdPath> NarrowPaths => [SimdPath.Vector, SimdPath.Scalar];

    private static T On<T>(SimdPath path, Func<T> compute)
    {
        using var scope = Simd.Force(path);
        return compute();
    }

    private static float[] Random(int count, int seed, double amplitude = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(amplitude * (2 * random.NextDouble() - 1))).ToArray();
    }

    private static double Relative(float[] actual, float[] expected)
    {
        double error = 0, size = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            error = Math.Max(error, Math.Abs((double)actual[i] - expected[i]));
            size = Math.Max(size, Math.Abs(expected[i]));
        }
        return size == 0 ? error : error / size;
    }

    [Fact]
    public void ForceAppliesOnTheCallingThreadAndIsRestored()
    {
        var hardware = Simd.Hardware;
        using (Simd.Force(SimdPath.Scalar))
        {
            Assert.Equal(SimdPath.Scalar, Simd.Path);
            using (Simd.Force(SimdPath.Vector)) Assert.Equal(SimdPath.Vector, Simd.Path);
            Assert.Equal(SimdPath.Scalar, Simd.Path);
            SimdPath other = SimdPath.Scalar;
            var thread = new Thread(() => other = Simd.Path);
            thread.Start();
            thread.Join();
            Assert.Equal(hardware, other);
        }
        Assert.Equal(hardware, Simd.Path);
        Assert.Equal(0, 16 % Simd.VectorLane);
    }

    [Theory]
    [MemberData(nameof(NarrowPaths))]
    public void KernelsAgreeWithTheVector512Path(SimdPath path)
    {
        foreach (var (outputs, inputs, frames) in new[] { (7, 3, 5), (202, 130, 9), (40, 17, 1) })
        {
            var layer = new PackedLinear(Random(outputs * inputs, outputs), Random(outputs, inputs), outputs, inputs);
            var x = Random(frames * (inputs + 3), 5);
            float[] Apply() { var y = new float[frames * layer.PaddedOutputs]; layer.Apply(x, inputs + 3, y, layer.PaddedOutputs, frames); return y; }
            Assert.Equal(On(SimdPath.Vector512, Apply), On(path, Apply));                         // same FMA chain per output
        }
        var values = Random(160, 1, 4);
        var gate = Random(160, 2, 4);
        float[] Map(Action<float[]> f) { var v = values.ToArray(); f(v); return v; }
        foreach (var (name, f) in new (string, Action<float[]>)[]
                 {
                     ("selu", v => VectorMath.Selu(v)), ("gelu", v => VectorMath.Gelu(v)), ("sigmoid gate", v => VectorMath.MultiplySigmoid(v, gate)),
                     ("layer norm", v => { var o = new float[160]; VectorMath.LayerNorm(v, o, 2, 77, 80, Random(80, 3), Random(80, 4), 1e-5f); o.CopyTo(v, 0); }),
                 })
        {
            double error = Relative(On(path, () => Map(f)), On(SimdPath.Vector512, () => Map(f)));
            output.WriteLine($"{path} {name}: {error:E2}");
            Assert.True(error <= 1e-6, $"{name} on {path}: {error:E2}");
        }
        var spectralWeights = new SpectralWeights { Inputs = 3, Outputs = 4, Modes = 5, WeightRe = Random(60, 7), WeightIm = Random(60, 8), BiasRe = Random(20, 9), BiasIm = Random(20, 10) };
        var spectral = new SpectralConvolution(spectralWeights, 13, "test");
        var field = Random(3 * spectral.FieldStride, 11);
        float[] Convolve() { var y = new float[4 * spectral.FieldStride]; spectral.Apply(field, y); return y; }
        Assert.Equal(On(SimdPath.Vector512, Convolve), On(path, Convolve));
    }

    public static TheoryData<string, SimdPath> ModelCases()
    {
        var data = new TheoryData<string, SimdPath>();
        foreach (var family in new[] { "ssm", "koopman", "frnn", "fgru" })
            foreach (var path in new[] { SimdPath.Vector, SimdPath.Scalar }) data.Add(family, path);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelCases))]
    public void ModelVoicesAgreeWithTheVector512Path(string family, SimdPath path)
    {
        (IModelFamily f, object config) = family switch
        {
            "ssm" => ((IModelFamily)new SsmFamily(), (object)new SsmModelConfig { NLayers = 2, DHidden = 12, Activation = "half_glu1" }),
            "koopman" => (new KoopmanFamily(), new KoopmanModelConfig { DLatent = 12, Width = 20, Depth = 2, UseModulation = true, ModulationWidth = 8, ModulationDepth = 1 }),
            "frnn" => (new FrnnFamily(), new FrnnModelConfig { Width = 6, Depth = 2, NModes = 5, Activation = "gelu" }),
            _ => (new FgruFamily(), new FgruModelConfig { Width = 6, NModes = 6 }),
        };
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, f, config, 11, 2, seed: 4);
        var x0 = InitialFrame(11, 2, 5);
        float[] Frames()
        {
            var voice = Voice(run.Folder, x0, 0.3);
            var frames = new float[300 * voice.FrameSize];
            voice.ProcessFrames(frames);
            return frames;
        }
        double error = Relative(On(path, Frames), On(SimdPath.Vector512, Frames));
        output.WriteLine($"{family} on {path}: {error:E2}");
        Assert.True(error <= 1e-6, $"{family} on {path}: {error:E2}");
    }

    [Theory]
    [MemberData(nameof(NarrowPaths))]
    public void SimulatorVoicesAgreeWithTheVector512Path(SimdPath path)
    {
        const int frames = 3000;
        foreach (var (kind, modes, excite, signal) in new[]
                 {
                     ("string", 50, "pluck:h=0.004", PickupSignal.Velocity), ("string", 37, "strike:a=2,dur=0.002", PickupSignal.Displacement),
                     ("plate", 60, "strike", PickupSignal.Velocity),
                 })
        {
            var system = VoiceSetups.System(kind, modes, true);
            float[] Render()
            {
                var voice = new ModalVoice(system, VoiceSetups.Rate, VoiceSetups.Pickup(system), signal, VoiceSetups.Excite(excite, system));
                return VoiceSetups.Render(voice, frames, 256);
            }
            double error = Relative(On(path, Render), On(SimdPath.Vector512, Render));
            output.WriteLine($"{kind} {modes} modes {excite} on {path}: {error:E2}");
            Assert.True(error <= 1e-6, $"{kind} ({excite}) on {path}: {error:E2}");
        }
        var prototype = VoiceSetups.System("string", 40, true);
        float[] Bank()
        {
            var bank = new ModalVoiceBank(prototype, VoiceSetups.Rate);
            for (int lane = 0; lane < ModalVoiceBank.Lanes; lane++)
            {
                var system = VoiceSetups.System("string", 40, lane % 3 != 0, ("T0", 40 + 3 * lane));
                bank.SetSystem(lane, system, new PhysMod.Physics.Modal.Location(0.5 + 0.005 * lane));
                bank.Excite(lane, VoiceSetups.Excite(lane % 4 == 1 ? "strike:a=2,dur=0.002" : $"pluck:h={0.001 * (1 + lane % 5)}", system));
            }
            var mix = new float[frames];
            var lanes = new float[frames * ModalVoiceBank.Lanes];
            for (int start = 0; start < frames; start += 500)
                bank.Process(mix.AsSpan(start, 500), lanes.AsSpan(start * ModalVoiceBank.Lanes, 500 * ModalVoiceBank.Lanes));
            return [.. mix, .. lanes];
        }
        double bankError = Relative(On(path, Bank), On(SimdPath.Vector512, Bank));
        output.WriteLine($"bank on {path}: {bankError:E2}");
        Assert.True(bankError <= 1e-6, $"bank on {path}: {bankError:E2}");
    }

    [Theory]
    [MemberData(nameof(NarrowPaths))]
    public void HybridVoiceAgreesWithTheVector512Path(SimdPath path)
    {
        var weights = new HybridStringWeights
        {
            Omega2 = Enumerable.Range(1, 6).Select(m => Math.Pow(2 * Math.PI * 110 * m, 2)).ToArray(),
            Gamma2 = Enumerable.Range(1, 6).Select(m => 2.0 + m).ToArray(),
            SampleRate = 44100,
            Residual = [new DenseWeights(Random(48, 1), Random(8, 2), 8, 6), new DenseWeights(Random(48, 3), Random(6, 4), 6, 8)],
            InputScale = 1e-3, OutputScale = 3e2,
        };
        float[] Render()
        {
            var voice = new HybridStringVoice(weights, [1, 0.5, 0.3, 0.2, 0.1, 0.05], [1e-3, 0, 5e-4, 0, 0, 0], new double[6]);
            var y = new float[4000];
            voice.Process(y);
            return y;
        }
        var reference = On(SimdPath.Vector512, Render);
        Assert.All(reference, v => Assert.True(float.IsFinite(v)));
        Assert.True(reference[^1000..].Max(MathF.Abs) > 0.1 * reference.Max(MathF.Abs), "the test signal died out");
        double error = Relative(On(path, Render), reference);
        output.WriteLine($"hybrid on {path}: {error:E2}");
        Assert.True(error <= 1e-6, $"hybrid on {path}: {error:E2}");
    }
}
