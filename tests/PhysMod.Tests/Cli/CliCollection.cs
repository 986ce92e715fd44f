namespace PhysMod.Tests.Cli;

/// <summary>The CLI tests redirect the global Console, so they run alone: never beside each other or any other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "physmod CLI (captures Console)";
}
