using System.Text.Json;
using PhysMod.Learning.Training;

namespace PhysMod.Learning.Models;

/// <summary>A model family: its name, config type with tutorial defaults and a quick preset, and a factory.</summary>
public interface IModelFamily
{
    /// <summary>Command-line name (dmd, ssm, koopman, …).</summary>
    string Name { get; }

    /// <summary>One-line description for --help.</summary>
    string Description { get; }

    /// <summary>The default (tutorial) config as a JSON object: {"training": {...}, "model": {...}}.</summary>
    FamilyConfig DefaultConfig { get; }

    /// <summary>A config small enough for the demo (a few minutes on 2 cores).</summary>
    FamilyConfig QuickConfig { get; }

    /// <summary>The tutorial's model config (what the PyTorch reference scripts build); the default model unless the family's
    /// default goes beyond the tutorial.</summary>
    JsonElement TutorialModel => DefaultConfig.Model;

    /// <summary>Creates a model for frames of <paramref name="gridPoints"/> × <paramref name="channels"/>, trained on
    /// <paramref name="trainFrames"/>-frame trajectories, with parameters initialised from <paramref name="seed"/>.</summary>
    ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed);
}
