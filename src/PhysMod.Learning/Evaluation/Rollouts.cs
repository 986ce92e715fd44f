using PhysMod.Learning.Models;
using static TorchSharp.torch;

namespace PhysMod.Learning.Evaluation;

/// <summary>Model rollouts from test initial states, denormalised to SI units: whole fields or the pickup grid point.</summary>
/// <remarks>Arrays are flattened row-major; the model works in normalised units (data / scale per channel).</remarks>
public static class Rollouts
{
    /// <summary>Normalised initial states (batch, W, C) of test trajectories [first, first + batch).</summary>
    public static float[] InitialStates(TestSplit data, int first, int batch, int channels, IReadOnlyList<double> scale)
    {
        int points = data.GridPoints;
        var x0 = new float[batch * points * channels];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < points; i++)
                for (int c = 0; c < channels; c++)
                    x0[(b * points + i) * channels + c] = (float)(data.Fields[(((long)(first + b) * data.FieldFrames) * points + i) * 2 + c] / scale[c]);
        return x0;
    }

    /// <summary>Rolls out a batch and returns it denormalised, (batch, frames, W, C) flattened.</summary>
    public static float[] Denormalised(ITrajectoryModel model, float[] initial, int batch, int frames, int points, int channels, IReadOnlyList<double> scale)
    {
        using var scope = NewDisposeScope();
        var x0 = tensor(initial, [batch, points, channels]);
        var output = Checked(model, model.Rollout(x0, frames), batch, frames, points, channels);
        float[] values = output.contiguous().data<float>().ToArray();
        for (int k = 0; k < values.Length; k++) values[k] = (float)(values[k] * scale[k % channels]);
        return values;
    }

    /// <summary>A long rollout of one trajectory reduced to the pickup grid point: (frames, C) denormalised.</summary>
    public static float[] Pickup(ITrajectoryModel model, float[] initial, int frames, int chunk, int points, int pickupIndex,
        int channels, IReadOnlyList<double> scale)
    {
        var signal = new float[frames * channels];
        int done = 0;
        using (var outer = NewDisposeScope())
        {
            var state = tensor(initial, [1, points, channels]);
            bool restart = chunk > 0 && chunk < frames;
            while (done < frames)
            {
                using var scope = NewDisposeScope();
                // Each restart repeats the starting frame as its frame 0, so it asks for one more frame and drops that one.
                int wanted = restart ? Math.Min(chunk, frames - done) : frames;
                int skip = done == 0 ? 0 : 1;
                var output = Checked(model, model.Rollout(state, wanted + skip), 1, wanted + skip, points, channels);
                float[] column = output[0, TensorIndex.Slice(skip), pickupIndex].contiguous().data<float>().ToArray(); // (wanted, C)
                Array.Copy(column, 0, signal, done * channels, column.Length);
                done += wanted;
                if (done < frames) state = output[TensorIndex.Colon, -1].detach().MoveToOuterDisposeScope();
            }
        }
        for (int k = 0; k < signal.Length; k++) signal[k] = (float)(signal[k] * scale[k % channels]);
        return signal;
    }

    /// <summary>Checks a rollout has shape (B, steps, W, C) and returns it as float32; names the family otherwise.</summary>
    public static Tensor Checked(ITrajectoryModel model, Tensor output, int batch, int frames, int points, int channels)
    {
        long[] expected = [batch, frames, points, channels];
        if (!output.shape.SequenceEqual(expected))
            throw new InvalidOperationException(
                $"the {model.Family} model's Rollout returned shape [{string.Join(", ", output.shape)}]; expected (B, steps, W, C) = [{string.Join(", ", expected)}]");
        return output.dtype == ScalarType.Float32 ? output : output.to_type(ScalarType.Float32);
    }
}
