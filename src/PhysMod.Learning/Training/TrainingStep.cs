using PhysMod.Learning.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Training;

/// <summary>One gradient update, shared by the <see cref="Trainer"/> and the training-step benchmark: zero the gradients, the
/// model's loss on a batch, backward, global-norm clipping, the optimiser step.</summary>
public static class TrainingStep
{
    /// <summary>The values one update produced: the loss, its named parts and the gradient norm before clipping.</summary>
    public readonly record struct Result(double Loss, IReadOnlyDictionary<string, double> Parts, double GradNorm);

    /// <summary>Applies one update on <paramref name="batch"/> (B, T, W, C). Call inside a dispose scope.</summary>
    /// <remarks>A non-finite loss stops before backward (GradNorm NaN) and a non-finite gradient norm stops before the optimiser,
    /// so the parameters are never touched by a diverged step. <paramref name="phaseEnded"/> (for profiling) is called with
    /// 0, 1, 2, 3 after the forward pass with the loss read back, backward, clipping and the optimiser update.</remarks>
    public static Result Apply(ITrajectoryModel model, Tensor batch, IReadOnlyList<Parameter> parameters, GlobalNormClip clip, IOptimiser optimiser,
        double learningRate, Action<int>? phaseEnded = null)
    {
        model.Module.zero_grad(true);
        var (total, namedParts) = model.Loss(batch);
        double loss = total.detach().to_type(ScalarType.Float64).item<double>();
        var parts = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in namedParts) parts[name] = value.detach().to_type(ScalarType.Float64).item<double>();
        phaseEnded?.Invoke(0);
        if (!double.IsFinite(loss)) return new Result(loss, parts, double.NaN);
        total.backward();
        phaseEnded?.Invoke(1);
        double gradNorm = clip.Apply(parameters.Select(p => p.grad).ToArray());
        phaseEnded?.Invoke(2);
        if (double.IsFinite(gradNorm)) optimiser.Update(learningRate);
        phaseEnded?.Invoke(3);
        return new Result(loss, parts, gradNorm);
    }
}
