namespace PhysMod.Learning.Pinn;

/// <summary>One logged training step of a PINN: the total loss and its named terms (weighted as they enter the loss) or
/// learned parameters.</summary>
public sealed record PinnLogEntry(long Step, double Total, IReadOnlyDictionary<string, double> Terms);
