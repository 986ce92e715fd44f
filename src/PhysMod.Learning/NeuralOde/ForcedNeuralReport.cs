namespace PhysMod.Learning.NeuralOde;

/// <summary>Results of the forced string's pure neural acceleration fit (spec §5.2).</summary>
public sealed record ForcedNeuralReport
{
    /// <summary>Normalised readout MSE mean((ŷ − y)²)/mean(y²) over the training trajectory before training.</summary>
    public required double InitialReadoutError { get; init; }

    /// <summary>The same after training (the course's metric).</summary>
    public required double ReadoutError { get; init; }

    /// <summary>The same over twice the training length (the second half is never seen): how far the learned dynamics carry.</summary>
    public required double ExtrapolationReadoutError { get; init; }

    /// <summary>Normalised readout MSE of the second half alone (frames T … 2T − 1).</summary>
    public required double UnseenHalfReadoutError { get; init; }

    /// <summary>First state loss.</summary>
    public required double InitialLoss { get; init; }

    /// <summary>Last state loss.</summary>
    public required double FinalLoss { get; init; }

    /// <summary>Trainable parameters of the MLP.</summary>
    public required long Parameters { get; init; }

    /// <summary>Updates done.</summary>
    public required int Updates { get; init; }

    /// <summary>Wall-clock seconds of training.</summary>
    public required double TrainingSeconds { get; init; }
}
