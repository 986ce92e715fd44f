namespace PhysMod.Realtime.Models;

/// <summary>The parameters of one dense layer y = W x + b as torch stores them (float32).</summary>
/// <param name="Weight">W, shape (Outputs, Inputs), row-major.</param>
/// <param name="Bias">b, shape (Outputs).</param>
/// <param name="Outputs">Rows of W.</param>
/// <param name="Inputs">Columns of W.</param>
public sealed record DenseWeights(float[] Weight, float[] Bias, int Outputs, int Inputs)
{
    /// <summary>Throws unless the arrays have the declared shapes.</summary>
    public DenseWeights Validate(string name)
    {
        if (Outputs < 1 || Inputs < 1 || Weight.Length != (long)Outputs * Inputs || Bias.Length != Outputs)
            throw new InvalidDataException($"{name}: weight [{Weight.Length}] and bias [{Bias.Length}] do not make a {Outputs} × {Inputs} layer");
        return this;
    }

    /// <summary>Number of scalars.</summary>
    public long ParameterCount => Weight.LongLength + Bias.LongLength;

    /// <summary>The layer packed for <see cref="PackedLinear.Apply"/>.</summary>
    public PackedLinear Pack() => new(Weight, Bias, Outputs, Inputs);
}
