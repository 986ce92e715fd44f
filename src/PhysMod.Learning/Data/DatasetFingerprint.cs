using System.Security.Cryptography;

namespace PhysMod.Learning.Data;

/// <summary>Identifies a dataset file's exact content: its SHA-256 and size in bytes.</summary>
public sealed record DatasetFingerprint(string Sha256, long Bytes)
{
    /// <summary>Hashes the whole file (streamed; about a second per GB).</summary>
    public static DatasetFingerprint Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        byte[] hash = SHA256.HashData(stream);
        return new DatasetFingerprint(Convert.ToHexStringLower(hash), stream.Length);
    }
}
