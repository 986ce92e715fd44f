using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Evaluation;

/// <summary>A closed-form test family for the eval command: frame t = g^t · x0, with g fitted as the least-squares one-step
/// gain of the training trajectories (so the checkpoint holds a value that differs from the initial g = 1).</summary>
internal sealed class DecayFamily : IModelFamily
{
    public string Name => "decay";

    public string Description => "test family: x_t = g^t x_0";

    public static TrainingSettings Settings { get; } = new() { Epochs = 1, BatchSize = 4, TrainFrames = 40, EvalFrames = 80, Seed = 3 };

    public FamilyConfig DefaultConfig { get; } = new(Settings, JsonSerializer.SerializeToElement(new { }));

    public FamilyConfig QuickConfig => DefaultConfig;

    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) => new DecayModel();
}

/// <summary>The model of <see cref="DecayFamily"/>.</summary>
internal sealed class DecayModel : ITrajectoryModel
{
    private readonly GainModule module = new();

    public string Family => "decay";

    public nn.Module Module => module;

    public bool ClosedForm => true;

    public Tensor Rollout(Tensor x0, int steps)
    {
        var powers = pow(module.Gain.to_type(ScalarType.Float64), arange(steps, dtype: ScalarType.Float64)).to_type(ScalarType.Float32); // (steps)
        return x0.unsqueeze(1) * powers.reshape(1, steps, 1, 1);
    }

    public (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Loss(Tensor batch)
    {
        var mse = (Rollout(batch.select(1, 0), (int)batch.shape[1]) - batch).square().mean();
        return (mse, new Dictionary<string, Tensor> { ["prediction"] = mse });
    }

    public void Fit(Tensor trajectories)
    {
        long t = trajectories.shape[1];
        var x = trajectories.narrow(1, 0, t - 1).to_type(ScalarType.Float64);
        var y = trajectories.narrow(1, 1, t - 1).to_type(ScalarType.Float64);
        using (no_grad()) module.Gain.copy_(((x * y).sum() / (x * x).sum()).to_type(ScalarType.Float32).reshape(1));
    }

    public void Dispose() => module.Dispose();

    private sealed class GainModule : nn.Module
    {
#pragma warning disable SA1401, CA1051 // the field's name is its state-dict name
        public readonly TorchSharp.Modules.Parameter Gain = nn.Parameter(ones(1), requires_grad: false);
#pragma warning restore SA1401, CA1051

        public GainModule() : base("decay") => RegisterComponents();
    }
}
