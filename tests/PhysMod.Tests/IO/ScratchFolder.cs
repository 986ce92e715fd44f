namespace PhysMod.Tests.IO;

/// <summary>A fresh temporary folder for one test, deleted with everything in it on dispose.</summary>
public sealed class ScratchFolder : IDisposable
{
    /// <summary>Creates an empty folder under the system temporary path.</summary>
    public ScratchFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "physmod-io-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The folder's full path.</summary>
    public string Root { get; }

    /// <summary>Returns the full path of <paramref name="name"/> inside the folder.</summary>
    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>The names of the files the folder holds now, hidden and temporary ones included.</summary>
    public string[] FileNames() => Directory.GetFiles(Root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    /// <summary>Deletes the folder.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
