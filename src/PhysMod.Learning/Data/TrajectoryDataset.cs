using System.Globalization;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.IO;
using static TorchSharp.torch;

namespace PhysMod.Learning.Data;

/// <summary>A PhysMod dataset file opened for learning: checked shape, splits from its metadata, and float32 tensors per split.</summary>
/// <remarks>The file holds <c>fields</c> F32 (N, T, W, C) with C = 2 (displacement, velocity) and the metadata
/// <c>split</c> = "train=A,val=B,test=C" in stored order (spec §6.1: no shuffle before the split). Every problem with the
/// file is one <see cref="InvalidDataException"/> (or <see cref="FileNotFoundException"/>) whose message starts with the
/// path; a request the file cannot serve (more frames than stored, an empty split) is an <see cref="InvalidSettingException"/>.</remarks>
public sealed class TrajectoryDataset
{
    /// <summary>The tensor holding the field trajectories.</summary>
    public const string FieldsTensor = "fields";

    /// <summary>The tensor holding the pickup signals.</summary>
    public const string PickupTensor = "pickup";

    /// <summary>Channels every PhysMod dataset has (displacement, velocity).</summary>
    public const int ExpectedChannels = 2;

    private TrajectoryDataset(string path, IReadOnlyDictionary<string, string> metadata, long[] shape, SplitSizes split, long[]? pickupShape)
    {
        Path = path;
        Metadata = metadata;
        Count = checked((int)shape[0]);
        Frames = checked((int)shape[1]);
        GridPoints = checked((int)shape[2]);
        Channels = checked((int)shape[3]);
        Split = split;
        PickupFrames = pickupShape is null ? 0 : checked((int)pickupShape[1]);
    }

    /// <summary>The path as given (used in every message).</summary>
    public string Path { get; }

    /// <summary>The file's metadata strings.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Trajectories N.</summary>
    public int Count { get; }

    /// <summary>Stored field frames T per trajectory.</summary>
    public int Frames { get; }

    /// <summary>Grid points W.</summary>
    public int GridPoints { get; }

    /// <summary>Channels C (2).</summary>
    public int Channels { get; }

    /// <summary>Pickup samples S per trajectory (0 when the file has no pickup tensor).</summary>
    public int PickupFrames { get; }

    /// <summary>Split sizes in stored order.</summary>
    public SplitSizes Split { get; }

    /// <summary>Frame rate in Hz from the metadata (NaN when absent).</summary>
    public double SampleRate =>
        Metadata.TryGetValue("fs", out var fs) && double.TryParse(fs, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN;

    /// <summary>Opens and checks a dataset file (reads only the header).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, not a PhysMod dataset, or has the wrong shape.</exception>
    public static TrajectoryDataset Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new InvalidDataException($"{path}: is a folder, not a dataset file");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: dataset file not found", path);
        using var file = SafetensorsFile.Open(path);
        if (!file.Metadata.TryGetValue("format", out var format) || format != DatasetFile.Format)
            throw new InvalidDataException($"{path}: not a PhysMod dataset (metadata format is '{format ?? "missing"}', expected {DatasetFile.Format})");
        if (!file.Contains(FieldsTensor))
            throw new InvalidDataException($"{path}: has no '{FieldsTensor}' tensor; a PhysMod dataset stores the field as fields (N, T, W, {ExpectedChannels})");
        var fields = file.Info(FieldsTensor);
        string shown = $"{fields.Dtype} [{string.Join(", ", fields.Shape)}]";
        if (fields.Dtype != SafetensorsDtype.F32)
            throw new InvalidDataException($"{path}: '{FieldsTensor}' is {shown}; expected F32 (N, T, W, {ExpectedChannels})");
        if (fields.Rank != 4)
            throw new InvalidDataException($"{path}: '{FieldsTensor}' has rank {fields.Rank} ({shown}); expected rank 4 (N, T, W, {ExpectedChannels})");
        if (fields.Shape[3] != ExpectedChannels)
            throw new InvalidDataException($"{path}: '{FieldsTensor}' has {fields.Shape[3]} channels ({shown}); expected {ExpectedChannels} (displacement, velocity)");
        if (fields.Shape[0] < 1 || fields.Shape[1] < 1 || fields.Shape[2] < 1)
            throw new InvalidDataException($"{path}: '{FieldsTensor}' is empty ({shown})");
        if (fields.Shape[0] > int.MaxValue || fields.Shape[1] > int.MaxValue || fields.Shape[2] > int.MaxValue)
            throw new InvalidDataException($"{path}: '{FieldsTensor}' ({shown}) is too large");
        if (!file.Metadata.TryGetValue("split", out var splitText))
            throw new InvalidDataException($"{path}: the metadata has no 'split' (expected train=A,val=B,test=C)");
        var split = SplitSizes.TryParse(splitText)
            ?? throw new InvalidDataException($"{path}: metadata split '{splitText}' is not train=A,val=B,test=C");
        if (split.Total != fields.Shape[0])
        {
            string shard = file.Metadata.TryGetValue("shard", out var s) && s != "0/1" ? $" (this is shard {s}: merge the shards first with physmod merge)" : "";
            throw new InvalidDataException($"{path}: the split {split} does not add up to the {fields.Shape[0]} trajectories stored{shard}");
        }
        if (file.Metadata.TryGetValue("grid_points", out var grid) && int.TryParse(grid, NumberStyles.None, CultureInfo.InvariantCulture, out int points)
            && points != fields.Shape[2])
            throw new InvalidDataException($"{path}: metadata grid_points = {points} but '{FieldsTensor}' has {fields.Shape[2]} points ({shown})");
        long[]? pickupShape = null;
        if (file.Contains(PickupTensor))
        {
            var pickup = file.Info(PickupTensor);
            if (pickup.Dtype != SafetensorsDtype.F32 || pickup.Rank != 3 || pickup.Shape[0] != fields.Shape[0] || pickup.Shape[2] != ExpectedChannels)
                throw new InvalidDataException($"{path}: '{PickupTensor}' is {pickup.Dtype} [{string.Join(", ", pickup.Shape)}]; expected F32 ({fields.Shape[0]}, S, {ExpectedChannels})");
            pickupShape = pickup.Shape;
        }
        return new TrajectoryDataset(path, file.Metadata, fields.Shape, split, pickupShape);
    }

    /// <summary>Throws unless every trajectory has at least <paramref name="frames"/> frames; <paramref name="setting"/> names the request.</summary>
    public void RequireFrames(int frames, string setting)
    {
        if (frames > Frames)
            throw new InvalidSettingException($"{setting} = {frames}: {Path} stores only {Frames} frames per trajectory");
    }

    /// <summary>Throws unless <paramref name="split"/> holds at least one trajectory.</summary>
    public void RequireNonEmpty(DataSplit split)
    {
        if (Split.CountOf(split) < 1)
            throw new InvalidSettingException($"{Path}: the {Name(split)} split is empty (split {Split})");
    }

    /// <summary>The raw values of a split cropped to its first <paramref name="frames"/> frames, flattened (n, frames, W, C).</summary>
    public float[] Read(DataSplit split, int frames)
    {
        RequireNonEmpty(split);
        if (frames < 1) throw new InvalidSettingException($"frames = {frames}: must be ≥ 1");
        RequireFrames(frames, "frames");
        int count = Split.CountOf(split), first = Split.FirstOf(split);
        long frameValues = (long)GridPoints * Channels;
        long perTrajectory = frameValues * Frames, kept = frameValues * frames;
        var result = new float[checked(count * kept)];
        using var file = SafetensorsFile.Open(Path);
        int chunk = (int)Math.Max(1, Math.Min(count, (64L << 20) / Math.Max(1, perTrajectory * sizeof(float))));
        var buffer = new float[chunk * perTrajectory];
        for (int start = 0; start < count; start += chunk)
        {
            int rows = Math.Min(chunk, count - start);
            var span = buffer.AsSpan(0, (int)(rows * perTrajectory));
            file.ReadRows(FieldsTensor, first + start, rows, span);
            for (int r = 0; r < rows; r++)
                span.Slice((int)(r * perTrajectory), (int)kept).CopyTo(result.AsSpan((int)((start + r) * kept), (int)kept));
        }
        return result;
    }

    /// <summary>A split cropped to its first <paramref name="frames"/> frames as float32 (n, frames, W, C), normalised when
    /// <paramref name="normalisation"/> is given.</summary>
    public Tensor LoadTensor(DataSplit split, int frames, Normalisation? normalisation = null)
    {
        var values = Read(split, frames);
        using var scope = NewDisposeScope();
        var raw = tensor(values, new long[] { Split.CountOf(split), frames, GridPoints, Channels });
        var result = normalisation is null ? raw : normalisation.Validate(Channels).Normalise(raw);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The pickup signals of a split, raw, flattened (n, S, 2).</summary>
    public float[] ReadPickup(DataSplit split)
    {
        RequireNonEmpty(split);
        if (PickupFrames == 0) throw new InvalidDataException($"{Path}: has no '{PickupTensor}' tensor");
        using var file = SafetensorsFile.Open(Path);
        return file.ReadSingleRows(PickupTensor, Split.FirstOf(split), Split.CountOf(split));
    }

    /// <summary>Per-channel max |·| over every stored frame of the training split, as a <see cref="Normalisation"/>.</summary>
    public Normalisation ComputeNormalisation()
    {
        RequireNonEmpty(DataSplit.Train);
        int count = Split.Train;
        long perTrajectory = (long)Frames * GridPoints * Channels;
        int chunk = (int)Math.Max(1, Math.Min(count, (64L << 20) / Math.Max(1, perTrajectory * sizeof(float))));
        var buffer = new float[chunk * perTrajectory];
        var maxima = new float[Channels];
        using var file = SafetensorsFile.Open(Path);
        for (int start = 0; start < count; start += chunk)
        {
            int rows = Math.Min(chunk, count - start);
            var span = buffer.AsSpan(0, (int)(rows * perTrajectory));
            file.ReadRows(FieldsTensor, start, rows, span);
            for (int i = 0; i < span.Length; i++)
            {
                float a = Math.Abs(span[i]);
                int c = i % Channels;
                // NaN must not hide behind a comparison that is false for it.
                if (!(a <= maxima[c])) maxima[c] = float.IsNaN(a) ? float.NaN : a;
                if (float.IsNaN(maxima[c]))
                    throw new InvalidDataException($"{Path}: the training split holds NaN in channel {c} (trajectory {start + i / perTrajectory})");
            }
        }
        try
        {
            return Normalisation.FromMaxAbs(maxima);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{Path}: {e.Message}");
        }
    }

    /// <summary>The user-facing name of a split.</summary>
    public static string Name(DataSplit split) => split switch
    {
        DataSplit.Train => "train",
        DataSplit.Validation => "validation",
        DataSplit.Test => "test",
        _ => split.ToString(),
    };
}
