namespace PhysMod.Cli;

/// <summary>Collects a command's output files in a hidden staging folder and moves them into the output folder only when
/// every file was written, so a failure never leaves a half-finished set.</summary>
public sealed class OutputStaging : IDisposable
{
    private readonly string _target;
    private bool _committed;

    /// <summary>Creates (and checks writable) the output folder and a staging folder beside it.</summary>
    public OutputStaging(string outputDirectory)
    {
        _target = Path.GetFullPath(outputDirectory);
        try
        {
            Directory.CreateDirectory(_target);
            Staging = Path.Combine(_target, $".staging-{Guid.NewGuid():N}");
            Directory.CreateDirectory(Staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"output folder '{outputDirectory}' cannot be written: {e.Message}", e);
        }
    }

    /// <summary>The folder to write into.</summary>
    public string Staging { get; } = "";

    /// <summary>A path in the staging folder.</summary>
    public string File(string name) => Path.Combine(Staging, name);

    /// <summary>Moves every staged file into the output folder and returns their final paths.</summary>
    public IReadOnlyList<string> Commit()
    {
        var moved = new List<string>();
        foreach (var file in Directory.GetFiles(Staging).Order(StringComparer.Ordinal))
        {
            string destination = Path.Combine(_target, Path.GetFileName(file));
            global::System.IO.File.Move(file, destination, overwrite: true);
            moved.Add(destination);
        }
        _committed = true;
        Directory.Delete(Staging, recursive: true);
        return moved;
    }

    /// <summary>Deletes the staging folder if the files were not committed.</summary>
    public void Dispose()
    {
        if (_committed) return;
        try { Directory.Delete(Staging, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
