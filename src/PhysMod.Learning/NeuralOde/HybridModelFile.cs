using System.Globalization;
using System.Text.Json;
using PhysMod.Physics;
using PhysMod.Physics.IO;
using PhysMod.Physics.Parameters;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The trained hybrid string of <c>physmod train node --config hybrid|hybrid-test</c> as a file a real-time voice can
/// play without libtorch: RUN/<see cref="FileName"/>.</summary>
/// <remarks>
/// safetensors, float64 tensors: <c>physical</c> = [T0 (N), EI (N m²), d1 (kg/(m s)), d3 (kg m/s)] as learned;
/// <c>residual.layers.{i}.weight</c> (out, in) and <c>.bias</c> (out) of the residual MLP (SELU between layers), absent for a
/// purely physical model. Metadata (strings): <c>format</c> = <see cref="Format"/>, <c>modes</c>, <c>sample_rate</c> (Hz, one
/// damped-velocity-Verlet step per sample), <c>string</c> (JSON of the reference <see cref="StringParameters"/>: its L and ρA
/// are the known ones, T0, EI, d1, d3 are replaced by the learned values), <c>residual_input_scale</c> s_q and
/// <c>residual_output_scale</c> s_r (r(q) = s_r MLP(q/s_q)), <c>residual_layers</c>, <c>pickup_fraction</c> (readout y = Σ q_μ
/// sin(μπx_r/L) at x_r = fraction·L), and the training excitation: <c>force_fraction</c> (x_e/L) and the Hann-windowed
/// cosine burst <c>burst_centre</c>, <c>burst_length</c> (samples), <c>burst_frequency</c> (Hz), <c>burst_amplitude</c>,
/// <c>burst_frames</c> (modal force f_n,μ = burst[n]·sin(μπx_e/L)).
/// </remarks>
public static class HybridModelFile
{
    /// <summary>File name inside the run folder.</summary>
    public const string FileName = "hybrid_model.safetensors";

    /// <summary>Value of the <c>format</c> metadata entry.</summary>
    public const string Format = "physmod-hybrid-string/1";

    /// <summary>Writes <paramref name="model"/> (learned parameters and MLP) with its set-up to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, HybridStringModel model, StringParameters reference, double sampleRate, double pickupFraction,
        double forceFraction, HybridBurst burst)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(burst);
        var writer = new SafetensorsWriter();
        writer.Add("physical", model.Physical, 4);
        string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        writer.Metadata["format"] = Format;
        writer.Metadata["modes"] = model.Modes.ToString(CultureInfo.InvariantCulture);
        writer.Metadata["sample_rate"] = Text(sampleRate);
        writer.Metadata["string"] = JsonSerializer.Serialize(reference);
        writer.Metadata["pickup_fraction"] = Text(pickupFraction);
        writer.Metadata["force_fraction"] = Text(forceFraction);
        writer.Metadata["burst_centre"] = burst.Centre.ToString(CultureInfo.InvariantCulture);
        writer.Metadata["burst_length"] = burst.Length.ToString(CultureInfo.InvariantCulture);
        writer.Metadata["burst_frequency"] = Text(burst.Frequency);
        writer.Metadata["burst_amplitude"] = Text(burst.Amplitude);
        writer.Metadata["burst_frames"] = burst.Frames.ToString(CultureInfo.InvariantCulture);
        if (model.Residual is { } residual)
        {
            writer.Metadata["residual_input_scale"] = Text(residual.InputScale);
            writer.Metadata["residual_output_scale"] = Text(residual.OutputScale);
            writer.Metadata["residual_layers"] = residual.Layers.Count.ToString(CultureInfo.InvariantCulture);
            for (int i = 0; i < residual.Layers.Count; i++)
            {
                var layer = residual.Layers[i];
                using var weight = layer.weight!.detach().to_type(ScalarType.Float64).contiguous();
                using var bias = layer.bias!.detach().to_type(ScalarType.Float64).contiguous();
                writer.Add($"residual.layers.{i}.weight", weight.data<double>().ToArray(), weight.shape[0], weight.shape[1]);
                writer.Add($"residual.layers.{i}.bias", bias.data<double>().ToArray(), bias.shape[0]);
            }
        }
        writer.Save(path);
    }
}
