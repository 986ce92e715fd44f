namespace PhysMod.Tests.Training;

/// <summary>Tests that seed torch's global generator and compare runs bit for bit run alone, so no other test draws from
/// that generator in between.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRngCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "torch global generator (bit-exact training runs)";
}
