using PhysMod.Audio;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>Shared helpers of the neural-ODE experiments: rendering readouts, errors and writing WAVs.</summary>
public static class NodeOutputs
{
    /// <summary>Readout y = Σ_μ w_μ x_μ for a trajectory x (T, N) and weights w (N), as doubles.</summary>
    public static double[] Readout(Tensor trajectory, Tensor weights)
    {
        using var scope = NewDisposeScope();
        return trajectory.matmul(weights).to_type(ScalarType.Float64).data<double>().ToArray();   // (T)
    }

    /// <summary>Normalised error ‖ŷ − y‖² / ‖y‖² of two equally long signals.</summary>
    public static double NormalisedError(IReadOnlyList<double> estimate, IReadOnlyList<double> target)
    {
        double error = 0, energy = 0;
        for (int i = 0; i < target.Count; i++)
        {
            double d = estimate[i] - target[i];
            error += d * d;
            energy += target[i] * target[i];
        }
        return energy > 0 ? error / energy : double.NaN;
    }

    /// <summary>Writes a peak-normalised (0.95) float WAV.</summary>
    public static void WriteWav(string path, IReadOnlyList<double> signal, double sampleRate)
    {
        var samples = signal.Select(x => double.IsFinite(x) ? (float)x : 0f).ToArray();
        WavFile.Write(path, samples, (int)Math.Round(sampleRate), WavSampleFormat.Float32, peakNormalise: 0.95);
    }

    /// <summary>Relative error |estimate − truth| / |truth|.</summary>
    public static double RelativeError(double estimate, double truth) => Math.Abs(estimate - truth) / Math.Abs(truth);
}
