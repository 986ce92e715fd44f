namespace PhysMod.Physics.Parameters;

/// <summary>A parameter set that can list itself (name, value, unit) for metadata and messages.</summary>
public interface IPhysicalParameters
{
    /// <summary>The parameters in the spec's naming, in a stable order.</summary>
    IReadOnlyList<ParameterInfo> Describe();

    /// <summary>Characteristic length used to validate positions (string length, plate side l1).</summary>
    double Length { get; }
}
