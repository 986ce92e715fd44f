using PhysMod.Learning.Training;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Evaluation;

/// <summary>A dataset and a run of the closed-form <see cref="DecayFamily"/> on it, made once for all eval command tests.</summary>
public sealed class DecayRunFixture : IDisposable
{
    public DecayRunFixture()
    {
        Data = Folder.PathOf("data.safetensors");
        EvaluationTestData.Write(Data, count: 10, train: 6, validation: 2, frames: 120);
        Run = Folder.PathOf("run");
        var outcome = TrainingSession.Run(new TrainingRequest { Family = new DecayFamily(), Config = new DecayFamily().DefaultConfig, DataPath = Data, RunFolder = Run });
        if (outcome.Status != TrainingStatus.Completed) throw new InvalidOperationException($"the decay run did not complete: {outcome.Message}");
    }

    public ScratchFolder Folder { get; } = new();

    public string Data { get; }

    public string Run { get; }

    public void Dispose() => Folder.Dispose();
}
