using System.Text.Json;
using PhysMod.Learning.Data;
using PhysMod.Learning.Export;
using PhysMod.Learning.Koopman;
using PhysMod.Learning.Models;
using PhysMod.Learning.Operators;
using PhysMod.Learning.Ssm;
using PhysMod.Learning.Training;
using PhysMod.Physics.Datasets;
using PhysMod.Realtime.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Realtime;

/// <summary>Builds small random-initialised SSM and Koopman runs, their float64 torch twins and reference rollouts.</summary>
internal static class ModelVoiceTestKit
{
    /// <summary>Per-channel normalisation used by the runs (not 1, so that denormalisation is exercised).</summary>
    public static readonly double[] Scales = [0.0037, 2.5];

    public const double SampleRate = 16000;

    /// <summary>A run folder in the temp directory, deleted on dispose.</summary>
    public sealed class TempRun : IDisposable
    {
        public TempRun() => Folder = Directory.CreateTempSubdirectory("physmod-voice-").FullName;

        public string Folder { get; }

        public void Dispose()
        {
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        }
    }

    public static RunData Data(int gridPoints, int channels, string path = "unused.safetensors") => new()
    {
        Path = path, Sha256 = new string('0', 64), Bytes = 0, Trajectories = 10, Frames = 20, GridPoints = gridPoints,
        Channels = channels, Split = "train=8,val=1,test=1", SampleRate = SampleRate,
    };

    /// <summary>Creates the family's float32 model, saves it as an untrained run in <paramref name="folder"/>, returns it.</summary>
    public static ITrajectoryModel WriteRun(string folder, IModelFamily family, object modelConfig, int gridPoints, int channels, long seed,
        string dataPath = "unused.safetensors", Action<ITrajectoryModel>? prepare = null)
    {
        var json = JsonSerializer.SerializeToElement(modelConfig, DatasetConfig.Json);
        manual_seed(seed);
        var model = family.Create(json, gridPoints, channels, 20, seed);
        // energy_phase starts at zero; give it values so that the voices' per-excitation phases are exercised
        foreach (var (name, parameter) in model.Module.named_parameters().Where(p => p.name.EndsWith("phase_energy", StringComparison.Ordinal)))
            using (no_grad()) parameter.copy_(randn(parameter.shape, generator: new torch.Generator(unchecked((ulong)seed + 1))) * (0.05 / parameter.shape[0]));
        prepare?.Invoke(model);
        UntrainedRun.Write(folder, model, json, Data(gridPoints, channels, dataPath), new Normalisation { Scale = Scales }, 20, seed);
        return model;
    }

    /// <summary>A float64 twin of a float32 SSM, Koopman, FRNN or FGRU model whose parameters equal the source's exactly
    /// (widened); the Fourier models are built for <paramref name="gridPoints"/> points (their weights do not depend on W).</summary>
    public static ITrajectoryModel Widened(ITrajectoryModel source, int gridPoints = 0)
    {
        ITrajectoryModel twin = source switch
        {
            StackedSsm s => new StackedSsm(s.Config, s.GridPoints, s.Channels, s.TrainFrames, seed: 0, ScalarType.Float64),
            KoopmanModel k => new KoopmanModel(k.Config, k.GridPoints, k.Channels, seed: 0, ScalarType.Float64),
            FrnnModel f => new FrnnModel(f.Config, gridPoints, f.Channels, seed: 0, ScalarType.Float64),
            FgruModel g => new FgruModel(g.Config, gridPoints, g.Channels, seed: 0, ScalarType.Float64),
            _ => throw new ArgumentException("unsupported model"),
        };
        var values = source.Module.state_dict();
        using (no_grad())
            foreach (var (name, target) in twin.Module.state_dict()) target.copy_(values[name]);
        twin.Module.eval();
        return twin;
    }

    /// <summary>Rolls <paramref name="model"/> out from the normalised frame x0 (W·C) for <paramref name="steps"/> frames, in
    /// physical units: (steps, W·C) row-major as float64.</summary>
    public static double[] Rollout(ITrajectoryModel model, float[] x0Normalised, int gridPoints, int channels, int steps)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var dtype = model.Module.parameters().First().dtype;
        var x0 = tensor(x0Normalised, [1, gridPoints, channels]).to(dtype);
        var frames = model.Rollout(x0, steps).to(ScalarType.Float64);                                // (1, steps, W, C)
        var scale = tensor(Scales, ScalarType.Float64);
        return (frames * scale).reshape(-1).data<double>().ToArray();
    }

    /// <summary>A normalised initial frame with values of order 1 (seeded).</summary>
    public static float[] InitialFrame(int gridPoints, int channels, int seed)
    {
        var random = new Random(seed);
        var frame = new float[gridPoints * channels];
        for (int j = 0; j < gridPoints; j++)
        {
            double shape = Math.Sin(Math.PI * j / (gridPoints - 1)) * (0.5 + 0.5 * random.NextDouble());
            frame[j * channels] = (float)shape;
            for (int c = 1; c < channels; c++) frame[j * channels + c] = (float)(0.3 * (2 * random.NextDouble() - 1));
        }
        return frame;
    }

    /// <summary>The normalised frame in physical units.</summary>
    public static float[] Physical(float[] normalised, int channels) =>
        normalised.Select((v, i) => (float)(v * Scales[i % channels])).ToArray();

    /// <summary>A voice on the exported model of the run in <paramref name="folder"/>.</summary>
    public static ModelVoice Voice(string folder, float[] x0Normalised, double pickup, int blockFrames = 64)
    {
        var (config, model) = VoiceExport.Load(folder, blockFrames);
        return new ModelVoice(model, Physical(x0Normalised, model.Channels), config.Normalisation.Scale, SampleRate, pickup);
    }

    /// <summary>max |a − b| / max |b|.</summary>
    public static double RelativeMaxError(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        double error = 0, size = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
            size = Math.Max(size, Math.Abs(expected[i]));
        }
        return error / size;
    }

    /// <summary>max |a − b| / max |b| for two double arrays.</summary>
    public static double RelativeMaxError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        double error = 0, size = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
            size = Math.Max(size, Math.Abs(expected[i]));
        }
        return error / size;
    }

    /// <summary>The displacement at pickup p ∈ [0, 1] of each frame of a (steps, W·C) rollout, linearly interpolated.</summary>
    public static double[] Pickup(double[] frames, int gridPoints, int channels, double pickup)
    {
        double position = pickup * (gridPoints - 1);
        int j = Math.Min((int)Math.Floor(position), gridPoints - 2);
        double f = position - j;
        int size = gridPoints * channels, steps = frames.Length / size;
        var result = new double[steps];
        for (int k = 0; k < steps; k++)
            result[k] = (1 - f) * frames[k * size + j * channels] + f * frames[k * size + (j + 1) * channels];
        return result;
    }
}
