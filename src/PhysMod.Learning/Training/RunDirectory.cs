using PhysMod.Physics.IO;

namespace PhysMod.Learning.Training;

/// <summary>The files of a training run folder: <c>config.json</c>, <c>checkpoint.safetensors</c>, <c>metrics.jsonl</c> and
/// the <c>eval/</c> folder.</summary>
public sealed class RunDirectory
{
    /// <summary>The resolved config.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>Weights, optimiser state and position.</summary>
    public const string CheckpointFileName = "checkpoint.safetensors";

    /// <summary>The best-validating weights (runs with training.keep_best).</summary>
    public const string BestFileName = "best.safetensors";

    /// <summary>One JSON line per step.</summary>
    public const string MetricsFileName = "metrics.jsonl";

    /// <summary>Where evaluation writes.</summary>
    public const string EvalFolderName = "eval";

    /// <summary>A run folder (it need not exist yet).</summary>
    public RunDirectory(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = System.IO.Path.GetFullPath(folder);
    }

    /// <summary>Full path of the folder.</summary>
    public string Folder { get; }

    /// <summary>RUN/config.json.</summary>
    public string ConfigPath => System.IO.Path.Combine(Folder, ConfigFileName);

    /// <summary>RUN/checkpoint.safetensors.</summary>
    public string CheckpointPath => System.IO.Path.Combine(Folder, CheckpointFileName);

    /// <summary>RUN/best.safetensors.</summary>
    public string BestPath => System.IO.Path.Combine(Folder, BestFileName);

    /// <summary>The weights a trained run is evaluated, exported and rendered with: best.safetensors when the run keeps its
    /// best-validating weights and has them, otherwise the checkpoint.</summary>
    public string WeightsPath(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Training.KeepBest && File.Exists(BestPath) ? BestPath : CheckpointPath;
    }

    /// <summary>RUN/metrics.jsonl.</summary>
    public string MetricsPath => System.IO.Path.Combine(Folder, MetricsFileName);

    /// <summary>RUN/eval.</summary>
    public string EvalFolder => System.IO.Path.Combine(Folder, EvalFolderName);

    /// <summary>Whether the folder holds a run (a config or a checkpoint).</summary>
    public bool HasRun => File.Exists(ConfigPath) || File.Exists(CheckpointPath);

    /// <summary>Whether the folder holds a checkpoint.</summary>
    public bool HasCheckpoint => File.Exists(CheckpointPath);

    /// <summary>Reads config.json; one clear error when the folder holds no run.</summary>
    public RunConfig ReadConfig()
    {
        if (!Directory.Exists(Folder)) throw new DirectoryNotFoundException($"run folder '{Folder}' does not exist");
        if (!File.Exists(ConfigPath)) throw new FileNotFoundException($"{Folder}: not a training run (no {ConfigFileName})", ConfigPath);
        return RunConfig.Parse(File.ReadAllText(ConfigPath), ConfigPath);
    }

    /// <summary>Writes config.json atomically.</summary>
    public void WriteConfig(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteText(ConfigPath, config.ToJson() + "\n");
    }

    /// <summary>The metrics records so far (empty when there is no log).</summary>
    public IReadOnlyList<MetricsRecord> ReadMetrics() => File.Exists(MetricsPath) ? MetricsLog.Read(MetricsPath) : [];
}
