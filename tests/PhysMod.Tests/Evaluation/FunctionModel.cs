using PhysMod.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Evaluation;

/// <summary>A parameter-free trajectory model defined by a rollout function, which records every initial state it is given.</summary>
internal sealed class FunctionModel(string family, Func<Tensor, int, Tensor> rollout) : ITrajectoryModel
{
    private readonly nn.Module module = nn.Identity();

    /// <summary>Every x0 passed to <see cref="Rollout"/>, flattened (B, W, C), with the steps asked for.</summary>
    public List<(float[] X0, int Steps)> Calls { get; } = [];

    public string Family => family;

    public nn.Module Module => module;

    public bool ClosedForm => true;

    public Tensor Rollout(Tensor x0, int steps)
    {
        Calls.Add((x0.contiguous().data<float>().ToArray(), steps));
        return rollout(x0, steps);
    }

    public (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Loss(Tensor batch) => throw new NotSupportedException("evaluation-only model");

    public void Fit(Tensor trajectories) => throw new NotSupportedException("evaluation-only model");

    public void Dispose() => module.Dispose();

    /// <summary>Repeats x0 for every frame.</summary>
    public static FunctionModel Persistence() =>
        new("persistence", (x0, steps) => x0.unsqueeze(1).expand(x0.shape[0], steps, x0.shape[1], x0.shape[2]).contiguous());

    /// <summary>Outputs zeros.</summary>
    public static FunctionModel Zeros() =>
        new("zeros", (x0, steps) => zeros(x0.shape[0], steps, x0.shape[1], x0.shape[2]));

    /// <summary>A Markov model x_{t+1} = factor · x_t: frame t is factor^t · x0.</summary>
    public static FunctionModel Decay(double factor) =>
        new("decay", (x0, steps) =>
        {
            var powers = pow(tensor(factor), arange(steps, dtype: ScalarType.Float64)).to_type(ScalarType.Float32); // (steps)
            return x0.unsqueeze(1) * powers.reshape(1, steps, 1, 1);
        });

    /// <summary>Returns gain × the normalised ground truth of whichever known trajectory starts at x0; throws for an unknown x0.
    /// The truth is (count, frames, points, channels), normalised, flattened.</summary>
    public static FunctionModel Oracle(float[] truth, int count, int frames, int points, int channels, float gain = 1f) =>
        new(gain == 1f ? "oracle" : "scaled-oracle", (x0, steps) =>
        {
            if (steps > frames) throw new NotSupportedException($"the oracle knows {frames} frames, not {steps}");
            int batch = (int)x0.shape[0], frameValues = points * channels;
            float[] initial = x0.contiguous().data<float>().ToArray();
            var output = new float[batch * steps * frameValues];
            for (int b = 0; b < batch; b++)
            {
                int match = -1;
                for (int n = 0; n < count && match < 0; n++)
                    if (truth.AsSpan(n * frames * frameValues, frameValues).SequenceEqual(initial.AsSpan(b * frameValues, frameValues))) match = n;
                if (match < 0) throw new InvalidOperationException("the oracle was asked about an initial state that is not a known (test) trajectory");
                for (int k = 0; k < steps * frameValues; k++)
                    output[b * steps * frameValues + k] = gain * truth[match * frames * frameValues + k];
            }
            return tensor(output, [batch, steps, points, channels]);
        });
}
