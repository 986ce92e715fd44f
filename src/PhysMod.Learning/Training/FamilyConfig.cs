using System.Text.Json;

namespace PhysMod.Learning.Training;

/// <summary>A family's full configuration: training settings (shared by every family) and the family's model settings.</summary>
/// <remarks>The model part is kept as JSON so that each family owns its record (deserialised with unknown keys rejected) while
/// the trainer, config files and <c>--set model.key=value</c> handle every family alike.</remarks>
public sealed record FamilyConfig(TrainingSettings Training, JsonElement Model);
