using System.Globalization;
using PhysMod.Physics.IO;
using static TorchSharp.torch;

namespace PhysMod.Learning.Training;

/// <summary>An open checkpoint written by <see cref="Checkpoint.Save"/>: its metadata, and exact copies of its tensors into a
/// model, an optimiser and the torch generator.</summary>
/// <remarks>Every problem (missing, truncated or corrupt file, another format, a tensor whose name, dtype or shape does not match
/// the model) is one <see cref="InvalidDataException"/> (or <see cref="FileNotFoundException"/>) whose message starts with the path.</remarks>
public sealed class CheckpointReader : IDisposable
{
    private readonly SafetensorsFile _file;
    private readonly HashSet<string> _complex;

    private CheckpointReader(SafetensorsFile file)
    {
        _file = file;
        _complex = file.Metadata.TryGetValue(Checkpoint.ComplexKey, out var list) && list.Length > 0
            ? list.Split(',').ToHashSet(StringComparer.Ordinal)
            : [];
    }

    /// <summary>The path as given.</summary>
    public string Path => _file.Path;

    /// <summary>The metadata strings.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _file.Metadata;

    /// <summary>Opens and checks a checkpoint file.</summary>
    public static CheckpointReader Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint not found", path);
        var file = SafetensorsFile.Open(path);
        try
        {
            if (!file.Metadata.TryGetValue("format", out var format) || format != Checkpoint.Format)
                throw new InvalidDataException($"{path}: not a PhysMod checkpoint (metadata format is '{format ?? "missing"}', expected {Checkpoint.Format})");
            return new CheckpointReader(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>A metadata string; one clear error when absent.</summary>
    public string Require(string key) =>
        Metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{Path}: the checkpoint metadata has no '{key}'");

    /// <summary>A metadata integer; one clear error when absent or malformed.</summary>
    public long RequireInt64(string key) =>
        long.TryParse(Require(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value : throw new InvalidDataException($"{Path}: checkpoint metadata '{key}' = '{Require(key)}' is not an integer");

    /// <summary>A metadata number; one clear error when absent or malformed.</summary>
    public double RequireDouble(string key) =>
        double.TryParse(Require(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value : throw new InvalidDataException($"{Path}: checkpoint metadata '{key}' = '{Require(key)}' is not a number");

    /// <summary>Copies the stored state dict into <paramref name="module"/>; the names, dtypes and shapes must match exactly.</summary>
    public void LoadModule(TorchSharp.torch.nn.Module module, string modelName = "model")
    {
        ArgumentNullException.ThrowIfNull(module);
        var state = module.state_dict();
        var stored = _file.Names.Where(n => n.StartsWith(Checkpoint.ModelPrefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var missing = state.Keys.Where(k => !stored.Contains(Checkpoint.ModelPrefix + k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{Path}: does not match the {modelName}: it has no tensor for {Shown(missing)} (was the run made with another model config or program version?)");
        var extra = stored.Where(n => !state.ContainsKey(n[Checkpoint.ModelPrefix.Length..])).ToList();
        if (extra.Count > 0)
            throw new InvalidDataException($"{Path}: does not match the {modelName}: it has tensors the model lacks: {Shown(extra)}");
        foreach (var (name, target) in state) CopyInto(Checkpoint.ModelPrefix + name, target, modelName);
    }

    /// <summary>Copies the stored optimiser state into <paramref name="optimiser"/> and sets its count from <paramref name="countKey"/>.</summary>
    public void LoadOptimiser(IOptimiser optimiser, string countKey = "optimizer_count")
    {
        ArgumentNullException.ThrowIfNull(optimiser);
        string name = Require("optimizer");
        if (name != optimiser.Name)
            throw new InvalidDataException($"{Path}: the checkpoint was written by optimiser '{name}', not '{optimiser.Name}'");
        foreach (var (tensorName, target) in optimiser.State)
        {
            if (!_file.Contains(tensorName))
                throw new InvalidDataException($"{Path}: does not match the optimiser: it has no tensor '{tensorName}'");
            CopyInto(tensorName, target, "optimiser");
        }
        optimiser.Count = RequireInt64(countKey);
    }

    /// <summary>The stored torch generator state, or null when the checkpoint has none.</summary>
    public Tensor? ReadRngState()
    {
        if (!_file.Contains(Checkpoint.RngTensor)) return null;
        var info = _file.Info(Checkpoint.RngTensor);
        if (info.Dtype != SafetensorsDtype.U8 || info.Rank != 1)
            throw new InvalidDataException($"{Path}: '{Checkpoint.RngTensor}' is {info.Dtype} [{string.Join(", ", info.Shape)}]; expected U8 (n)");
        var state = empty(info.Shape, ScalarType.Byte);
        state.bytes = ReadBytes(Checkpoint.RngTensor);
        return state;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();

    private void CopyInto(string name, Tensor target, string owner)
    {
        var info = _file.Info(name);
        bool complex = target.is_complex();
        var expectedType = complex ? (target.dtype == ScalarType.ComplexFloat64 ? ScalarType.Float64 : ScalarType.Float32) : target.dtype;
        long[] expectedShape = complex ? [.. target.shape, 2] : target.shape;
        string expectedDtype = Checkpoint.DtypeOf(expectedType) ?? "?";
        if (complex != _complex.Contains(name) || info.Dtype != expectedDtype || !info.Shape.SequenceEqual(expectedShape))
        {
            string kind(bool c) => c ? " (complex, stored as real pairs)" : "";
            throw new InvalidDataException(
                $"{Path}: does not match the {owner}: tensor '{name}' is {info.Dtype} [{string.Join(", ", info.Shape)}]{kind(_complex.Contains(name))} there " +
                $"but {expectedDtype} [{string.Join(", ", expectedShape)}]{kind(complex)} in the {owner}");
        }
        using var scope = NewDisposeScope();
        var source = empty(info.Shape, expectedType);
        source.bytes = ReadBytes(name);
        if (complex) source = source.view_as_complex();
        using (no_grad()) target.copy_(source);
    }

    private byte[] ReadBytes(string name)
    {
        var info = _file.Info(name);
        if (info.ByteLength > Array.MaxLength) throw new InvalidDataException($"{Path}: tensor '{name}' is too large to load");
        using var buffer = new MemoryStream((int)info.ByteLength);
        _file.CopyRawTo(name, buffer);
        return buffer.ToArray();
    }

    private static string Shown(IReadOnlyCollection<string> names) =>
        string.Join(", ", names.Take(5).Select(n => $"'{n}'")) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");
}
