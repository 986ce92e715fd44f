namespace PhysMod.Physics.IO;

/// <summary>Concatenates the tensors of several safetensors files along their first dimension (merging dataset shards).</summary>
public static class SafetensorsMerge
{
    /// <summary>Writes <paramref name="output"/> with every tensor of the inputs joined along dimension 0, in input order.</summary>
    /// <remarks>All inputs must hold the same tensor names, and each name must have the same dtype and the same
    /// dimensions after the first in every input; scalars cannot be joined. Data is streamed file to file, never held
    /// in memory whole, and the output is written atomically (it may be one of the inputs).
    /// Without <paramref name="mergeMetadata"/> the inputs' metadata must be identical and is copied; with it, the
    /// function receives each input's metadata in input order and returns the output's.</remarks>
    /// <exception cref="InvalidDataException">An input is invalid or does not fit the others; the message names it.</exception>
    public static void Concatenate(
        IReadOnlyList<string> inputs,
        string output,
        Func<IReadOnlyList<IReadOnlyDictionary<string, string>>, IReadOnlyDictionary<string, string>>? mergeMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrEmpty(output);
        if (inputs.Count == 0) throw new ArgumentException("there are no input files to concatenate", nameof(inputs));

        var files = new List<SafetensorsFile>(inputs.Count);
        try
        {
            foreach (string input in inputs) files.Add(SafetensorsFile.Open(input));
            var first = files[0];
            var writer = new SafetensorsWriter();
            foreach (string name in first.Names)
            {
                var reference = first.Info(name);
                if (reference.Rank == 0)
                {
                    throw new InvalidDataException($"{first.Path}: tensor '{name}' is a scalar and cannot be concatenated along dimension 0");
                }
                long rows = 0;
                foreach (var file in files)
                {
                    var info = CheckCompatible(file, first, reference);
                    rows = checked(rows + info.Shape[0]);
                }
                long[] shape = (long[])reference.Shape.Clone();
                shape[0] = rows;
                writer.AddStreamed(name, reference.Dtype, shape, stream =>
                {
                    foreach (var file in files) file.CopyRawTo(name, stream);
                });
            }
            foreach (var file in files.Skip(1))
            {
                var extra = file.Names.FirstOrDefault(n => !first.Contains(n));
                if (extra is not null)
                {
                    throw new InvalidDataException($"{file.Path}: has tensor '{extra}', which {first.Path} lacks");
                }
            }

            var metadata = mergeMetadata is null
                ? IdenticalMetadata(files)
                : mergeMetadata(files.Select(f => f.Metadata).ToList());
            foreach (var (key, value) in metadata) writer.Metadata[key] = value;
            writer.Save(output);
        }
        finally
        {
            foreach (var file in files) file.Dispose();
        }
    }

    private static SafetensorsTensorInfo CheckCompatible(SafetensorsFile file, SafetensorsFile first, SafetensorsTensorInfo reference)
    {
        string name = reference.Name;
        if (!file.Contains(name))
        {
            throw new InvalidDataException($"{file.Path}: has no tensor '{name}', which {first.Path} has");
        }
        var info = file.Info(name);
        if (info.Dtype != reference.Dtype)
        {
            throw new InvalidDataException($"{file.Path}: tensor '{name}' is {info.Dtype} but in {first.Path} it is {reference.Dtype}");
        }
        if (info.Rank != reference.Rank || !info.Shape.AsSpan(1).SequenceEqual(reference.Shape.AsSpan(1)))
        {
            throw new InvalidDataException(
                $"{file.Path}: tensor '{name}' has shape [{string.Join(", ", info.Shape)}], which does not match [{string.Join(", ", reference.Shape)}] in {first.Path} after the first dimension");
        }
        return info;
    }

    private static IReadOnlyDictionary<string, string> IdenticalMetadata(List<SafetensorsFile> files)
    {
        var first = files[0];
        foreach (var file in files.Skip(1))
        {
            foreach (var key in first.Metadata.Keys.Union(file.Metadata.Keys).Order(StringComparer.Ordinal))
            {
                string? a = first.Metadata.GetValueOrDefault(key);
                string? b = file.Metadata.GetValueOrDefault(key);
                if (a != b)
                {
                    throw new InvalidDataException(
                        $"{file.Path}: metadata '{key}' is {Describe(b)} but in {first.Path} it is {Describe(a)}; pass a metadata merge function to combine differing metadata");
                }
            }
        }
        return first.Metadata;
    }

    private static string Describe(string? value)
    {
        if (value is null) return "missing";
        // Metadata often holds whole JSON documents: keep the message on one short line.
        string flat = value.ReplaceLineEndings(" ");
        return flat.Length <= 60 ? $"'{flat}'" : $"'{flat[..57]}...'";
    }
}
