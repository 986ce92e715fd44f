using static TorchSharp.torch;

namespace PhysMod.Learning;

/// <summary>Facts about the loaded libtorch: proves the native library loads and reports what it offers.</summary>
public static class TorchRuntime
{
    /// <summary>Loads libtorch (throws with the loader's message if it cannot) and computes d/dx Σx³ at x = 2 as a check.</summary>
    public static (string Version, int Threads, double GradientCheck) Probe()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 2.0 }, requires_grad: true);
        (x * x * x).sum().backward();
        return (__version__, get_num_threads(), x.grad!.item<double>());
    }
}
