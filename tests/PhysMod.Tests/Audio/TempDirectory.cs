namespace PhysMod.Tests.Audio;

/// <summary>A fresh directory under the system temp folder, deleted with its contents on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    /// <summary>Full path of the directory.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory("physmod-audio-").FullName;

    /// <summary>Path of a file named <paramref name="name"/> inside the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
