using PhysMod.Learning.Koopman;
using PhysMod.Learning.Operators;
using PhysMod.Learning.Ssm;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.IO;
using PhysMod.Realtime.Models;

namespace PhysMod.Learning.Export;

/// <summary>Exports a trained run (RUN/config.json + RUN/checkpoint.safetensors) to a plain-C# streaming frame model of
/// PhysMod.Realtime, reading the checkpoint's tensors directly (no TorchSharp at load time).</summary>
/// <remarks>Every tensor is checked against the shape the run's model config implies (and every <c>model.*</c> tensor of the
/// checkpoint must be used), so a checkpoint from another config fails with one line naming the tensor and both shapes.
/// Families with a real-time voice: <see cref="Families"/>.</remarks>
public static class VoiceExport
{
    /// <summary>Families that export to a voice.</summary>
    public static IReadOnlyList<string> Families { get; } = [SsmFamily.FamilyName, KoopmanFamily.FamilyName, FrnnFamily.FamilyName, FgruFamily.FamilyName];

    /// <summary>Reads the run in <paramref name="runFolder"/> and builds its frame model for blocks of <paramref name="maxFrames"/>.</summary>
    /// <exception cref="InvalidSettingException">The run's family has no real-time voice.</exception>
    /// <exception cref="FileNotFoundException">No config.json or no checkpoint.</exception>
    /// <exception cref="InvalidDataException">A corrupt checkpoint, or one that does not match the run's config.</exception>
    public static (RunConfig Config, IFrameModel Model) Load(string runFolder, int maxFrames = 64)
    {
        var directory = new RunDirectory(runFolder);
        var config = directory.ReadConfig();
        RequireFamily(config.Family, directory.Folder);
        if (!directory.HasCheckpoint)
            throw new FileNotFoundException($"{directory.Folder}: the run has no {RunDirectory.CheckpointFileName} (training never reached a checkpoint)", directory.CheckpointPath);
        using var tensors = new TensorSource(directory.WeightsPath(config), config.Family);
        int w = config.Data.GridPoints, c = config.Data.Channels;
        IFrameModel model = config.Family switch
        {
            SsmFamily.FamilyName => new SsmFrameModel(ReadSsm(tensors, SsmModelConfig.FromJson(config.Model), w, c), maxFrames),
            KoopmanFamily.FamilyName => new KoopmanFrameModel(ReadKoopman(tensors, KoopmanModelConfig.FromJson(config.Model), w, c), maxFrames),
            FrnnFamily.FamilyName => new FourierRecurrentFrameModel(ReadFrnn(tensors, FrnnModelConfig.FromJson(config.Model), w, c), maxFrames),
            _ => new FourierRecurrentFrameModel(ReadFgru(tensors, FgruModelConfig.FromJson(config.Model), w, c), maxFrames),
        };
        tensors.RequireAllUsed();
        return (config, model);
    }

    /// <summary>Throws one clear line unless <paramref name="family"/> exports to a voice.</summary>
    public static void RequireFamily(string family, string where)
    {
        if (!Families.Contains(family))
            throw new InvalidSettingException($"{where}: the run is a '{family}' model, which has no real-time voice: allowed are {string.Join(", ", Families)}");
    }

    private static SsmWeights ReadSsm(TensorSource t, SsmModelConfig config, int gridPoints, int channels)
    {
        int d = gridPoints * channels, h = config.DHidden;
        string shape = $"(ssm d_hidden = {config.DHidden}, n_layers = {config.NLayers}, W·C = {d})";
        LruWeights Lru(string prefix, bool feedthrough) => new()
        {
            ModelSize = d,
            HiddenSize = h,
            NuLog = t.Read($"{prefix}.nu_log", shape, h),
            ThetaLog = t.Read($"{prefix}.theta_log", shape, h),
            GammaLog = t.Read($"{prefix}.gamma_log", shape, h),
            BRe = t.Read($"{prefix}.B_re", shape, h, d),
            BIm = t.Read($"{prefix}.B_im", shape, h, d),
            CRe = t.Read($"{prefix}.C_re", shape, d, h),
            CIm = t.Read($"{prefix}.C_im", shape, d, h),
            Feedthrough = feedthrough ? t.Read($"{prefix}.D", shape, d) : null,
        };
        var first = Lru("first", feedthrough: false);
        var layers = new SequenceLayerWeights[config.NLayers];
        for (int i = 0; i < layers.Length; i++)
        {
            string prefix = $"layers.{i}";
            layers[i] = new SequenceLayerWeights
            {
                Lru = Lru($"{prefix}.lru", feedthrough: true),
                NormScale = t.Read($"{prefix}.norm.weight", shape, d),
                NormShift = t.Read($"{prefix}.norm.bias", shape, d),
                Gate = config.ActivationKind == SequenceActivation.HalfGlu1
                    ? new DenseWeights(t.Read($"{prefix}.gate.weight", shape, d, d), t.Read($"{prefix}.gate.bias", shape, d), d, d)
                    : null,
            };
        }
        return new SsmWeights
        {
            GridPoints = gridPoints, Channels = channels, First = first, Layers = layers,
            PhaseEnergy = config.EnergyPhase ? t.Read("phase_energy", shape, h, h) : null,
        };
    }

    private static KoopmanWeights ReadKoopman(TensorSource t, KoopmanModelConfig config, int gridPoints, int channels)
    {
        int d = gridPoints * channels, n = config.EigenvalueCount;
        string shape = $"(koopman d_latent = {config.DLatent}, width = {config.Width}, depth = {config.Depth}, W·C = {d})";
        DenseWeights[] Mlp(string prefix, int inputs, int outputs, int width, int depth)
        {
            var layers = new DenseWeights[depth + 1];
            for (int i = 0; i <= depth; i++)
            {
                int fanIn = i == 0 ? inputs : width, fanOut = i == depth ? outputs : width;
                layers[i] = new DenseWeights(t.Read($"{prefix}.layers.{i}.weight", shape, fanOut, fanIn), t.Read($"{prefix}.layers.{i}.bias", shape, fanOut), fanOut, fanIn);
            }
            return layers;
        }
        return new KoopmanWeights
        {
            GridPoints = gridPoints,
            Channels = channels,
            Encoder = Mlp("encoder", d, config.DLatent, config.Width, config.Depth),
            Decoder = Mlp("decoder", config.DLatent, d, config.Width, config.Depth),
            NuLog = t.Read("dynamics.nu_log", shape, n),
            ThetaLog = t.Read("dynamics.theta_log", shape, n),
            ClipEigs = config.ClipEigs,
            Modulation = config.UseModulation ? Mlp("dynamics.modulation", n, 2 * n, config.ModulationWidth, config.ModulationDepth) : null,
            PhaseEnergy = config.EnergyPhase ? t.Read("dynamics.phase_energy", shape, n, n) : null,
            EncoderSkip = config.LinearSkip ? t.Read("encoder_skip.weight", shape, config.DLatent, d) : null,
            DecoderSkip = config.LinearSkip ? t.Read("decoder_skip.weight", shape, d, config.DLatent) : null,
        };
    }

    private static FourierRecurrentWeights ReadFrnn(TensorSource t, FrnnModelConfig config, int gridPoints, int channels)
    {
        int h = config.Width, m = config.ModesFor(gridPoints);
        string shape = $"(frnn width = {h}, depth = {config.Depth}, n_modes = {m}, W = {gridPoints}, C = {channels})";
        var blocks = new (SpectralWeights, DenseWeights)[config.Depth];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = (Spectral(t, $"spectral.{i}", shape, h, m, config.SpectralBias), Dense(t, $"pointwise.{i}", shape, h, h));
        return new FourierRecurrentWeights
        {
            Family = FrnnFamily.FamilyName, GridPoints = gridPoints, Channels = channels, GridChannel = config.GridChannel,
            Lifting = Dense(t, "lifting", shape, h, channels + (config.GridChannel ? 1 : 0)), Readout = Dense(t, "readout", shape, channels, h),
            Blocks = blocks, Activation = config.Activation,
            ModalPath = config.HasPath ? Path(t, shape, ModalEnergyPath.ModesFor(config.PathModes, gridPoints), channels) : null,
        };
    }

    private static FourierRecurrentWeights ReadFgru(TensorSource t, FgruModelConfig config, int gridPoints, int channels)
    {
        int h = config.Width, m = config.ModesFor(gridPoints);
        string shape = $"(fgru width = {h}, n_modes = {m}, W = {gridPoints}, C = {channels})";
        return new FourierRecurrentWeights
        {
            Family = FgruFamily.FamilyName, GridPoints = gridPoints, Channels = channels, GridChannel = config.GridChannel,
            Lifting = Dense(t, "lifting", shape, h, channels + (config.GridChannel ? 1 : 0)), Readout = Dense(t, "readout", shape, channels, h),
            UpdateGate = Spectral(t, "update_gate", shape, h, m, config.SpectralBias),
            ResetGate = Spectral(t, "reset_gate", shape, h, m, config.SpectralBias),
            ModalPath = config.HasPath ? Path(t, shape, ModalEnergyPath.ModesFor(config.PathModes, gridPoints), channels) : null,
            Candidate = Spectral(t, "candidate", shape, h, m, config.SpectralBias),
        };
    }

    private static ModalPathWeights Path(TensorSource t, string shape, int modes, int channels) => new()
    {
        Modes = modes,
        StepLinear = t.Read("path.step_linear", shape, modes, channels, channels),
        StepEnergy = t.Read("path.step_energy", shape, modes, channels, channels),
        EnergyWeights = t.Read("path.energy_weights", shape, channels, modes),
        CorrectionScale = t.Read("path.correction_scale", shape, 1)[0],
    };

    private static DenseWeights Dense(TensorSource t, string prefix, string shape, int outputs, int inputs) =>
        new(t.Read($"{prefix}.weight", shape, outputs, inputs), t.Read($"{prefix}.bias", shape, outputs), outputs, inputs);

    private static SpectralWeights Spectral(TensorSource t, string prefix, string shape, int width, int modes, bool bias) => new()
    {
        Inputs = width, Outputs = width, Modes = modes,
        WeightRe = t.Read($"{prefix}.weight_re", shape, width, width, modes),
        WeightIm = t.Read($"{prefix}.weight_im", shape, width, width, modes),
        BiasRe = bias ? t.Read($"{prefix}.bias_re", shape, width, modes) : null,
        BiasIm = bias ? t.Read($"{prefix}.bias_im", shape, width, modes) : null,
    };

    // The checkpoint's model tensors, read by state-dict name with their shapes checked.
    private sealed class TensorSource : IDisposable
    {
        private readonly SafetensorsFile _file;
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public TensorSource(string path, string family)
        {
            _file = SafetensorsFile.Open(path);
            try
            {
                if (!_file.Metadata.TryGetValue("format", out var format) || format != Checkpoint.Format)
                    throw new InvalidDataException($"{path}: not a PhysMod checkpoint (metadata format is '{format ?? "missing"}', expected {Checkpoint.Format})");
                if (!_file.Metadata.TryGetValue("family", out var stored) || stored != family)
                    throw new InvalidDataException($"{path}: the checkpoint is of a '{stored ?? "unknown"}' model, but config.json says {family}");
            }
            catch
            {
                _file.Dispose();
                throw;
            }
        }

        public float[] Read(string name, string expected, params long[] shape)
        {
            string key = Checkpoint.ModelPrefix + name;
            if (!_file.Contains(key))
                throw new InvalidDataException($"{_file.Path}: does not match config.json {expected}: it has no tensor '{key}'");
            var info = _file.Info(key);
            if (!info.Shape.SequenceEqual(shape))
                throw new InvalidDataException($"{_file.Path}: does not match config.json {expected}: tensor '{key}' is [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", shape)}]");
            _used.Add(key);
            return info.Dtype switch
            {
                SafetensorsDtype.F32 => _file.ReadSingle(key),
                SafetensorsDtype.F64 => Array.ConvertAll(_file.ReadDouble(key), v => (float)v),
                _ => throw new InvalidDataException($"{_file.Path}: tensor '{key}' is {info.Dtype}; a voice reads F32 or F64"),
            };
        }

        public void RequireAllUsed()
        {
            var extra = _file.Names.Where(n => n.StartsWith(Checkpoint.ModelPrefix, StringComparison.Ordinal) && !_used.Contains(n)).ToList();
            if (extra.Count > 0)
                throw new InvalidDataException($"{_file.Path}: does not match config.json: it has model tensors the config does not describe: {string.Join(", ", extra.Take(5).Select(e => $"'{e}'"))}{(extra.Count > 5 ? $" and {extra.Count - 5} more" : "")}");
        }

        public void Dispose() => _file.Dispose();
    }
}
