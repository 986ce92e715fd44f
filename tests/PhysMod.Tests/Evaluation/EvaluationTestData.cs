using System.Buffers.Binary;
using System.Text.Json;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.IO;

namespace PhysMod.Tests.Evaluation;

/// <summary>Small hand-made dataset files with an analytic field (three standing-wave modes) and helpers to check outputs.</summary>
internal static class EvaluationTestData
{
    public const double SampleRate = 16000, Length = 0.5, PickupFraction = 0.8;
    public const int Points = 11; // x_i = i·L/10, so the pickup 0.8·L is grid point 8

    /// <summary>Writes a dataset of <paramref name="count"/> trajectories × <paramref name="frames"/> frames (the pickup has the same
    /// frames, taken from grid point 8). With <paramref name="poisonNonTest"/> every training and validation value is NaN.</summary>
    public static float[] Write(string path, int count, int train, int validation, int frames, bool poisonNonTest = false)
    {
        var fields = new float[count * frames * Points * 2];
        var pickup = new float[count * frames * 2];
        int pickupIndex = (int)Math.Round(PickupFraction * (Points - 1));
        for (int n = 0; n < count; n++)
            for (int f = 0; f < frames; f++)
                for (int i = 0; i < Points; i++)
                {
                    double t = f / SampleRate, x = i * Length / (Points - 1), u = 0, v = 0;
                    for (int m = 1; m <= 3; m++)
                    {
                        double amplitude = 1e-3 * (1 + 0.3 * n) / m, omega = 2 * Math.PI * 440 * m * (1 + 0.05 * n), shape = Math.Sin(m * Math.PI * x / Length);
                        u += amplitude * shape * Math.Cos(omega * t) * Math.Exp(-20 * t);
                        v += -amplitude * shape * omega * Math.Sin(omega * t) * Math.Exp(-20 * t);
                    }
                    bool poisoned = poisonNonTest && n < train + validation;
                    int k = ((n * frames + f) * Points + i) * 2;
                    fields[k] = poisoned ? float.NaN : (float)u;
                    fields[k + 1] = poisoned ? float.NaN : (float)v;
                    if (i == pickupIndex) { pickup[(n * frames + f) * 2] = fields[k]; pickup[(n * frames + f) * 2 + 1] = fields[k + 1]; }
                }
        var writer = new SafetensorsWriter();
        writer.Add("fields", fields, count, frames, Points, 2);
        writer.Add("pickup", pickup, count, frames, 2);
        writer.Metadata["format"] = DatasetFile.Format;
        writer.Metadata["split"] = $"train={train},val={validation},test={count - train - validation}";
        writer.Metadata["fs"] = "16000";
        writer.Metadata["grid_points"] = Points.ToString(System.Globalization.CultureInfo.InvariantCulture);
        writer.Metadata["grid_extent_m"] = "0.5";
        writer.Metadata["shard"] = "0/1";
        writer.Metadata["config"] = JsonSerializer.Serialize(new { pickup_fraction_x = PickupFraction });
        writer.Save(path);
        return fields;
    }

    /// <summary>The test rows of <paramref name="fields"/> divided per channel by <paramref name="scale"/>.</summary>
    public static float[] NormalisedTest(float[] fields, int first, int count, int frames, double[] scale)
    {
        int per = frames * Points * 2;
        var result = new float[count * per];
        for (int k = 0; k < result.Length; k++) result[k] = (float)(fields[first * per + k] / scale[k % 2]);
        return result;
    }

    /// <summary>Asserts a PNG file of the given size.</summary>
    public static void AssertPng(string path, int width, int height)
    {
        Assert.True(File.Exists(path), $"{path} is missing");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} has only {bytes.Length} bytes");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
