using System.Text.Json;
using System.Text.Json.Serialization;
using PhysMod.Physics.IO;

namespace PhysMod.Learning.Evaluation;

/// <summary>Everything one evaluation measured and wrote; serialised (snake_case) as <c>RUN/eval/metrics.json</c>.</summary>
public sealed record EvaluationReport
{
    /// <summary>The format tag of metrics.json.</summary>
    public const string FormatTag = "physmod-eval/1";

    /// <summary>Format tag (<see cref="FormatTag"/>).</summary>
    public string Format { get; init; } = FormatTag;

    /// <summary>Model family name.</summary>
    public required string Family { get; init; }

    /// <summary>Full path of the dataset file.</summary>
    public required string Dataset { get; init; }

    /// <summary>Frame rate (Hz).</summary>
    public required double SampleRateHz { get; init; }

    /// <summary>Grid points W.</summary>
    public required int GridPoints { get; init; }

    /// <summary>String length (m).</summary>
    public required double LengthM { get; init; }

    /// <summary>Channels the model predicts, in order.</summary>
    public required IReadOnlyList<string> Channels { get; init; }

    /// <summary>SI unit of each channel.</summary>
    public required IReadOnlyList<string> ChannelUnits { get; init; }

    /// <summary>Per-channel normalisation scale (data_normalised = data / scale).</summary>
    public required IReadOnlyList<double> NormalisationScale { get; init; }

    /// <summary>Split sizes of the dataset (train and val are never read).</summary>
    public required IReadOnlyDictionary<string, int> Split { get; init; }

    /// <summary>Dataset indices of the test trajectories: [first, first + count).</summary>
    public required IReadOnlyList<int> TestIndices { get; init; }

    /// <summary>Training horizon H (frames).</summary>
    public required int TrainingHorizonFrames { get; init; }

    /// <summary>H / fs.</summary>
    public required double TrainingHorizonSeconds { get; init; }

    /// <summary>Grid index nearest the pickup, round(fraction·(W−1)).</summary>
    public required int PickupGridIndex { get; init; }

    /// <summary>Pickup position (m) = fraction · L.</summary>
    public required double PickupPositionM { get; init; }

    /// <summary>Position (m) of <see cref="PickupGridIndex"/>.</summary>
    public required double PickupGridPositionM { get; init; }

    /// <summary>Dynamic range (dB) kept by every log-spectral distance (see <see cref="LogSpectralDistance"/>).</summary>
    public required double LsdFloorDb { get; init; }

    /// <summary>Metrics per horizon, ascending.</summary>
    public required IReadOnlyList<HorizonMetrics> Horizons { get; init; }

    /// <summary>Relative MAE per block of frames over the longest horizon.</summary>
    public required BlockErrorCurve RelativeMaeBlocks { get; init; }

    /// <summary>The listening rollout, or null when it was not run (see <see cref="Notes"/>).</summary>
    public ListeningResult? Listening { get; init; }

    /// <summary>Wall-clock time (s) of the test-split rollout to the longest horizon.</summary>
    public required double RolloutSeconds { get; init; }

    /// <summary>PNG files written, relative to the eval folder.</summary>
    public required IReadOnlyList<string> Figures { get; init; }

    /// <summary>Anything the reader must know: skipped parts and why, approximations, divergence.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>The definition of every metric key.</summary>
    public IReadOnlyDictionary<string, string> Definitions { get; init; } = MetricDefinitions;

    /// <summary>Definition strings written into every metrics.json.</summary>
    public static IReadOnlyDictionary<string, string> MetricDefinitions { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["horizon"] = "horizon K compares frames 0..K-1 of the rollout from each test trajectory's frame 0 (frame 0 is the model's reconstruction of the initial state) with the dataset field; K = multiple x training horizon",
        ["field.displacement"] = "channel 0 (displacement, m) in physical units after denormalisation (pred = model output x scale)",
        ["field.velocity"] = "channel 1 (velocity, m/s) in physical units after denormalisation",
        ["field.normalised_all_channels"] = "all channels together, each divided by its normalisation scale (the training loss's units)",
        ["mse"] = "mean of (pred - gt)^2 over test trajectories, frames 0..K-1, grid points (and channels); unit in mse_unit",
        ["relative_l2"] = "||pred - gt||_2 / ||gt||_2 with one norm over every value of the test split in frames 0..K-1",
        ["relative_l2_trajectory_mean"] = "mean over test trajectories of ||pred - gt||_2 / ||gt||_2 per trajectory",
        ["relative_l2_trajectory_std"] = "population standard deviation (ddof 0) of the per-trajectory relative L2",
        ["relative_mae"] = "sum |pred - gt| / sum |gt| over the test split in frames 0..K-1 (= mean|error| / mean|gt|)",
        ["relative_mae_blocks"] = "relative MAE per block of block_frames frames over the longest horizon: sum |pred - gt| / sum |gt| over the block's frames, every grid point and every test trajectory",
        ["pickup_lsd"] = "log-spectral distance (dB): mean over STFT frames of sqrt(mean over bins of (20 log10(max(|P|,eps)/max(|G|,eps)))^2), eps = loudest |G| cell - lsd_floor_db; Hann-window STFT (fft_size, hop); mean and population std over test trajectories. At a horizon: the model's value at pickup_grid_index vs the dataset field at the same point over frames 0..K-1",
        ["listening"] = "a longer rollout of the first test trajectories; model signal = the rollout at pickup_grid_index, gt = the dataset's pickup tensor (recorded at pickup_position_m for the whole duration) over the same frames; LSD as pickup_lsd, relative_l2 over the whole signal",
        ["audio"] = "WAV, 32-bit float, at sample_rate_hz; gt_XX/model_XX = velocity (what a magnetic pickup hears), *_displacement = displacement; each file peak-normalised independently (peaks before normalisation in peak_gt/peak_model); XX = index in the test split",
        ["non_finite"] = "a metric that is not a finite number (e.g. a diverged model) is written as null",
    };

    /// <summary>JSON options of metrics.json: snake_case, indented, non-finite numbers as null.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new FiniteOrNullConverter() },
    };

    /// <summary>Writes the report atomically as JSON.</summary>
    public void Write(string path) => AtomicFile.WriteText(path, JsonSerializer.Serialize(this, Json) + "\n");

    private sealed class FiniteOrNullConverter : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }
}
