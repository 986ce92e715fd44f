using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Koopman;

/// <summary>Central-difference gradients of a scalar function of module parameters, for comparison with autograd (float64).</summary>
internal static class FiniteDifferences
{
    /// <summary>Largest |autograd − central difference| / max(1, |central difference|) over every element of every parameter.</summary>
    public static double MaxGradientError(IEnumerable<(string name, TorchSharp.Modules.Parameter parameter)> parameters, Func<Tensor> loss, double step = 1e-6)
    {
        var list = parameters.ToList();
        foreach (var (_, p) in list) p.grad?.zero_();
        using (var scope = NewDisposeScope()) loss().backward();
        double worst = 0;
        foreach (var (name, p) in list)
        {
            var autograd = p.grad!.flatten().data<double>().ToArray();
            using var noGrad = no_grad();
            var flat = p.view(-1);
            for (int i = 0; i < autograd.Length; i++)
            {
                var element = flat[i];
                double original = element.item<double>();
                element.fill_(original + step);
                double plus = Evaluate(loss);
                element.fill_(original - step);
                double minus = Evaluate(loss);
                element.fill_(original);
                double numeric = (plus - minus) / (2 * step);
                double error = Math.Abs(autograd[i] - numeric) / Math.Max(1, Math.Abs(numeric));
                if (double.IsNaN(error)) throw new InvalidOperationException($"NaN gradient at {name}[{i}]");
                worst = Math.Max(worst, error);
            }
        }
        return worst;
    }

    private static double Evaluate(Func<Tensor> loss)
    {
        using var scope = NewDisposeScope();
        return loss().item<double>();
    }
}
