namespace PhysMod.Physics.Parameters;

/// <summary>One named physical parameter with its value, unit and meaning, for metadata and listings.</summary>
public sealed record ParameterInfo(string Name, double Value, string Unit, string Meaning);
