namespace PhysMod.Tests.Operators;

/// <summary>A fact that runs only when an environment variable is set (opt-in benchmarks), skipped with the reason otherwise.</summary>
public sealed class FactIfEnvironmentAttribute : FactAttribute
{
    /// <summary>Skips unless <paramref name="variable"/> is set and non-empty.</summary>
    public FactIfEnvironmentAttribute(string variable)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable))) Skip = $"opt-in: set {variable} to run";
    }
}
