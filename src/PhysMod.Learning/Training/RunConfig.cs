using System.Text.Json;
using System.Text.Json.Serialization;
using PhysMod.Learning.Data;

namespace PhysMod.Learning.Training;

/// <summary>The fully resolved configuration of a training run, as stored in <c>RUN/config.json</c>.</summary>
/// <remarks>Everything needed to rebuild the model and repeat or resume the run: family, training and model settings (after
/// presets, config files and --set), the dataset (path, SHA-256, shape, split), the normalisation the model works in, the
/// step counts and the program version.</remarks>
public sealed record RunConfig
{
    /// <summary>The format tag of config.json.</summary>
    public const string CurrentFormat = "physmod-run/1";

    /// <summary>Format tag.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>Family name (dmd, ssm, koopman, …).</summary>
    public required string Family { get; init; }

    /// <summary>Version of the program that started the run.</summary>
    public required string ProgramVersion { get; init; }

    /// <summary>Training settings.</summary>
    public required TrainingSettings Training { get; init; }

    /// <summary>The family's model settings (its own record, as JSON).</summary>
    public required JsonElement Model { get; init; }

    /// <summary>The dataset.</summary>
    public required RunData Data { get; init; }

    /// <summary>Per-channel scaling of the data the model sees.</summary>
    public required Normalisation Normalisation { get; init; }

    /// <summary>Frames of each trajectory in a training batch (window_frames, or train_frames without windows); the
    /// trainFrames argument of <see cref="Models.IModelFamily.Create"/>.</summary>
    public required int SequenceFrames { get; init; }

    /// <summary>Optimiser steps per epoch: ⌈train trajectories / batch size⌉ (1 for closed-form families).</summary>
    public required long StepsPerEpoch { get; init; }

    /// <summary>Optimiser steps of the whole run: epochs × steps per epoch (1 for closed-form families).</summary>
    public required long TotalSteps { get; init; }

    /// <summary>Whether the family is fitted in closed form (no optimiser).</summary>
    public required bool ClosedForm { get; init; }

    /// <summary>The family config (training + model) of this run.</summary>
    [JsonIgnore]
    public FamilyConfig FamilyConfig => new(Training, Model);

    /// <summary>The program version string runs record.</summary>
    public static string CurrentProgramVersion => typeof(RunConfig).Assembly.GetName().Version?.ToString(3) ?? "0";

    /// <summary>Indented JSON with snake_case keys.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TrainingJson.Options);

    /// <summary>Parses config.json; one clear error naming <paramref name="path"/> when it is not a run config.</summary>
    public static RunConfig Parse(string json, string path)
    {
        RunConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<RunConfig>(json, TrainingJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a readable run config ({e.Message.ReplaceLineEndings(" ")})");
        }
        if (config is null) throw new InvalidDataException($"{path}: not a run config (null)");
        if (config.Format != CurrentFormat) throw new InvalidDataException($"{path}: run config format '{config.Format}', expected {CurrentFormat}");
        try
        {
            config.Training.Validate();
            config.Normalisation.Validate(config.Data.Channels);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
        return config;
    }
}
