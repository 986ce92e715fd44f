namespace PhysMod.Learning.Models;

/// <summary>The registry of trainable families by command-line name.</summary>
public static class ModelFamilies
{
    /// <summary>Every family, in the order the comparison lists them.</summary>
    public static IReadOnlyList<IModelFamily> All { get; } =
    [
        // each family adds itself here: new Baselines.DmdFamily(), new Ssm.SsmFamily(), new Koopman.KoopmanFamily(),
        new Baselines.DmdFamily(),
        new Baselines.ModalDmdFamily(),
        new Ssm.SsmFamily(),
        new Koopman.KoopmanFamily(),
        new Operators.FnoFamily(),
        new Operators.FnoArFamily(),
        new Operators.FrnnFamily(),
        new Operators.FgruFamily(),
    ];

    /// <summary>The family of that name; one clear error otherwise.</summary>
    public static IModelFamily Find(string name) =>
        All.FirstOrDefault(f => f.Name == name)
        ?? throw new PhysMod.Physics.InvalidSettingException($"unknown family '{name}': allowed are {string.Join(", ", All.Select(f => f.Name))}");
}
