using PhysMod.Physics.IO;
using static TorchSharp.torch;

namespace PhysMod.Learning.Training;

/// <summary>Writes training checkpoints: one safetensors file with the model's state dict, the optimiser state, the torch
/// random state and string metadata (step, schedule and batcher position, config, normalisation).</summary>
/// <remarks>
/// Tensor names: <c>model.NAME</c> for every state-dict entry, the optimiser's own names (<c>optimizer.mu.NAME</c>,
/// <c>optimizer.nu.NAME</c>), <c>rng.torch</c> (U8). Complex tensors (which safetensors cannot hold) are stored as their real
/// view (…, 2) and listed in the metadata key <c>complex_tensors</c>. Values are copied byte for byte, so loading a checkpoint
/// restores the exact bits, and loading never executes code. The file is written atomically.
/// </remarks>
public static class Checkpoint
{
    /// <summary>The metadata format tag.</summary>
    public const string Format = "physmod-checkpoint/1";

    /// <summary>Prefix of the model's tensors.</summary>
    public const string ModelPrefix = "model.";

    /// <summary>Name of the torch random-generator state.</summary>
    public const string RngTensor = "rng.torch";

    /// <summary>Metadata key listing the complex tensors stored as real views.</summary>
    public const string ComplexKey = "complex_tensors";

    /// <summary>Saves a checkpoint atomically.</summary>
    /// <param name="path">Target file.</param>
    /// <param name="module">The model whose state dict is saved.</param>
    /// <param name="optimiser">The optimiser whose state is saved (null for closed-form models).</param>
    /// <param name="rngState">The torch generator state (null to omit).</param>
    /// <param name="metadata">Extra metadata strings; <c>format</c> is added.</param>
    public static void Save(string path, TorchSharp.torch.nn.Module module, IOptimiser? optimiser, Tensor? rngState, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(metadata);
        var writer = new SafetensorsWriter();
        var complex = new List<string>();
        using (var scope = NewDisposeScope())
        {
            foreach (var (name, value) in module.state_dict()) Add(writer, ModelPrefix + name, value, complex);
            if (optimiser is not null)
                foreach (var (name, value) in optimiser.State) Add(writer, name, value, complex);
            if (rngState is not null) Add(writer, RngTensor, rngState, complex);
        }
        foreach (var (key, value) in metadata) writer.Metadata[key] = value;
        writer.Metadata["format"] = Format;
        if (complex.Count > 0) writer.Metadata[ComplexKey] = string.Join(",", complex);
        writer.Save(path);
    }

    /// <summary>The safetensors dtype of a real torch dtype, or null when it has none.</summary>
    public static string? DtypeOf(ScalarType type) => type switch
    {
        ScalarType.Float32 => SafetensorsDtype.F32,
        ScalarType.Float64 => SafetensorsDtype.F64,
        ScalarType.Float16 => SafetensorsDtype.F16,
        ScalarType.BFloat16 => SafetensorsDtype.BF16,
        ScalarType.Int64 => SafetensorsDtype.I64,
        ScalarType.Int32 => SafetensorsDtype.I32,
        ScalarType.Int16 => SafetensorsDtype.I16,
        ScalarType.Int8 => SafetensorsDtype.I8,
        ScalarType.Byte => SafetensorsDtype.U8,
        ScalarType.Bool => SafetensorsDtype.Bool,
        _ => null,
    };

    private static void Add(SafetensorsWriter writer, string name, Tensor value, List<string> complex)
    {
        var stored = value.detach().cpu();
        if (stored.is_complex())
        {
            stored = stored.view_as_real();
            complex.Add(name);
        }
        stored = stored.contiguous();
        string dtype = DtypeOf(stored.dtype) ?? throw new NotSupportedException($"checkpoint: tensor '{name}' has dtype {stored.dtype}, which safetensors cannot hold");
        byte[] bytes = stored.bytes.ToArray();
        writer.AddStreamed(name, dtype, stored.shape, stream => stream.Write(bytes));
    }
}
