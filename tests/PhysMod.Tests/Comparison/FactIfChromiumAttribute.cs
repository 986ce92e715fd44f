namespace PhysMod.Tests.Comparison;

/// <summary>A fact that is skipped, with the reason shown, when no Chromium executable is installed (CI installs the Debian
/// package through scripts/setup-debian.sh, so there it always runs).</summary>
public sealed class FactIfChromiumAttribute : FactAttribute
{
    /// <summary>Where Chromium is looked for, in order.</summary>
    public static readonly IReadOnlyList<string> Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when none of <see cref="Candidates"/> exists.</summary>
    public FactIfChromiumAttribute()
    {
        if (Executable is null) Skip = "chromium is not installed (Debian: apt-get install chromium, which scripts/setup-debian.sh and .ci/run do)";
    }

    /// <summary>The Chromium executable, or null.</summary>
    public static string? Executable => Candidates.FirstOrDefault(File.Exists);
}
