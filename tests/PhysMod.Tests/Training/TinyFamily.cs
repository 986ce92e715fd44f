using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Training;

/// <summary>A test family: a small residual MLP stepping the flattened frame, so trainer tests need no real family.</summary>
/// <remarks>Model settings: hidden (units), noise (std of a torch.randn term in the loss, so the generator state matters),
/// nan_at_call (the n-th Loss call returns NaN; 0 = never), closed_form (fit a linear map by least squares instead).</remarks>
internal sealed class TinyFamily : IModelFamily
{
    public string Name => "tiny";

    public string Description => "test MLP";

    public static TrainingSettings Settings { get; } = new()
    {
        Epochs = 5, BatchSize = 4, PeakLearningRate = 1e-2, TrainFrames = 6, EvalFrames = 8, CheckpointEvery = 3, Seed = 11,
    };

    public static JsonElement Model(int hidden = 8, double noise = 0.01, int nanAtCall = 0, bool closedForm = false) =>
        JsonSerializer.SerializeToElement(new { hidden, noise, nan_at_call = nanAtCall, closed_form = closedForm });

    public FamilyConfig DefaultConfig { get; } = new(Settings, Model());

    public FamilyConfig QuickConfig { get; } = new(Settings with { Epochs = 2 }, Model(hidden: 4));

    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed)
    {
        int hidden = modelConfig.GetProperty("hidden").GetInt32();
        if (hidden < 1) throw new PhysMod.Physics.InvalidSettingException($"model.hidden = {hidden}: must be ≥ 1");
        return new TinyModel(gridPoints * channels, hidden, modelConfig.GetProperty("noise").GetDouble(),
            modelConfig.GetProperty("nan_at_call").GetInt32(), modelConfig.GetProperty("closed_form").GetBoolean());
    }
}

/// <summary>x_{k+1} = x_k + 0.1·MLP(x_k) on the flattened frame (or x_{k+1} = A x_k fitted by least squares).</summary>
internal sealed class TinyModel : ITrajectoryModel
{
    private readonly TinyNet _net;
    private readonly double _noise;
    private readonly int _nanAtCall;
    private int _calls;

    public TinyModel(int features, int hidden, double noise, int nanAtCall, bool closedForm)
    {
        _net = new TinyNet(features, hidden);
        _noise = noise;
        _nanAtCall = nanAtCall;
        ClosedForm = closedForm;
    }

    public string Family => "tiny";

    public nn.Module Module => _net;

    public bool ClosedForm { get; }

    public Tensor Rollout(Tensor x0, int steps)
    {
        long b = x0.shape[0], w = x0.shape[1], c = x0.shape[2];
        var x = x0.reshape(b, w * c);
        var frames = new List<Tensor> { x };
        for (int k = 1; k < steps; k++)
        {
            x = ClosedForm ? x.matmul(_net.Linear.T) : x + 0.1 * _net.forward(x);
            frames.Add(x);
        }
        return stack(frames, 1).reshape(b, steps, w, c);
    }

    public (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Loss(Tensor batch)
    {
        _calls++;
        var prediction = Rollout(batch.select(1, 0), (int)batch.shape[1]);
        var mse = (prediction - batch).square().mean();
        var parts = new Dictionary<string, Tensor> { ["prediction"] = mse };
        var total = mse;
        if (_noise > 0)
        {
            var jitter = (prediction * randn_like(prediction) * _noise).square().mean();
            parts["jitter"] = jitter;
            total = total + jitter;
        }
        if (_calls == _nanAtCall) total = total * double.NaN;
        return (total, parts);
    }

    public void Fit(Tensor trajectories)
    {
        long n = trajectories.shape[0], t = trajectories.shape[1], d = trajectories.shape[2] * trajectories.shape[3];
        var x = trajectories.narrow(1, 0, t - 1).reshape(-1, d);
        var y = trajectories.narrow(1, 1, t - 1).reshape(-1, d);
        // Least squares Y ≈ X Aᵀ.
        var solution = linalg.lstsq(x.to_type(ScalarType.Float64), y.to_type(ScalarType.Float64)).Item1.T.to_type(ScalarType.Float32);
        using (no_grad()) _net.Linear.copy_(solution);
        _ = n;
    }

    public void Dispose() => _net.Dispose();
}

/// <summary>The module: an MLP and a linear map (the closed-form variant's state).</summary>
internal sealed class TinyNet : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Linear _in;
    private readonly TorchSharp.Modules.Linear _out;

    public TinyNet(int features, int hidden) : base("tiny")
    {
        _in = nn.Linear(features, hidden);
        _out = nn.Linear(hidden, features);
        Linear = nn.Parameter(eye(features), requires_grad: false);
        RegisterComponents();
    }

#pragma warning disable SA1401, CA1051 // the field's name is its state-dict name
    public readonly TorchSharp.Modules.Parameter Linear;
#pragma warning restore SA1401, CA1051

    public override Tensor forward(Tensor x) => _out.forward(tanh(_in.forward(x)));
}
