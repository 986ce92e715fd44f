using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;

namespace PhysMod.Tests.Comparison;

/// <summary>A test family under another name: the inner family's models with its own preset, or a factory that throws.</summary>
internal sealed class RenamedFamily(string name, IModelFamily inner, FamilyConfig? config = null, string? createFails = null) : IModelFamily
{
    public string Name => name;

    public string Description => $"test family ({inner.Description})";

    public FamilyConfig DefaultConfig => config ?? inner.DefaultConfig;

    public FamilyConfig QuickConfig => config ?? inner.QuickConfig;

    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) =>
        createFails is not null ? throw new InvalidOperationException(createFails) : inner.Create(modelConfig, gridPoints, channels, trainFrames, seed);
}
