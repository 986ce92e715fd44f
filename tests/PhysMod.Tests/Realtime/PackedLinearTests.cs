using PhysMod.Realtime.Models;

namespace PhysMod.Tests.Realtime;

/// <summary>The packed block GEMM agrees with a plain float64 matrix-vector product for every tile shape and remainder.</summary>
public sealed class PackedLinearTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 3, 5)]
    [InlineData(202, 256, 9)]
    [InlineData(65, 130, 4)]
    [InlineData(16, 64, 13)]
    public void MatchesPlainProduct(int outputs, int inputs, int frames)
    {
        var random = new Random(outputs * 1000 + inputs);
        var weight = Enumerable.Range(0, outputs * inputs).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        var bias = Enumerable.Range(0, outputs).Select(_ => (float)random.NextDouble()).ToArray();
        var layer = new PackedLinear(weight, bias, outputs, inputs);
        int inputStride = inputs + 3, outputStride = layer.PaddedOutputs + PackedLinear.Lane;
        var input = Enumerable.Range(0, frames * inputStride).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        var output = new float[frames * outputStride];
        Array.Fill(output, float.NaN);
        layer.Apply(input, inputStride, output, outputStride, frames);
        for (int t = 0; t < frames; t++)
        {
            for (int r = 0; r < outputs; r++)
            {
                double expected = bias[r];
                for (int k = 0; k < inputs; k++) expected += (double)weight[r * inputs + k] * input[t * inputStride + k];
                Assert.True(Math.Abs(output[t * outputStride + r] - expected) <= 1e-5 * (1 + Math.Sqrt(inputs)), $"frame {t}, row {r}: {output[t * outputStride + r]} vs {expected}");
            }
            for (int r = outputs; r < layer.PaddedOutputs; r++) Assert.Equal(0f, output[t * outputStride + r]);
        }
    }
}
