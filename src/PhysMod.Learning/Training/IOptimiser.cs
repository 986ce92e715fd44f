using static TorchSharp.torch;

namespace PhysMod.Learning.Training;

/// <summary>A gradient-based optimiser whose whole state is named tensors plus an update count, so a checkpoint can hold it
/// exactly.</summary>
public interface IOptimiser
{
    /// <summary>The name recorded in runs (adamw, adam).</summary>
    string Name { get; }

    /// <summary>Updates applied so far (the bias-correction count).</summary>
    long Count { get; set; }

    /// <summary>The state tensors by name (live: a checkpoint reads them and a resume copies into them).</summary>
    IReadOnlyList<(string Name, Tensor Value)> State { get; }

    /// <summary>Applies one update with learning rate <paramref name="learningRate"/> from each parameter's current gradient
    /// (a missing gradient counts as zero).</summary>
    void Update(double learningRate);
}
