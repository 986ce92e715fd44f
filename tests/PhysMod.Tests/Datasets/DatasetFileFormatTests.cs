using System.Globalization;
using System.Text.Json;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.IO;
using PhysMod.Tests.IO;
using Xunit.Abstractions;

namespace PhysMod.Tests.Datasets;

/// <summary>The string-benchmark file: tensor shapes and dtypes, metadata, fixed ends and physically sane values.</summary>
/// <remarks>N = 10 trajectories of the full preset cut to 0.02 s: the field keeps its 200 frames (12.5 ms at 16 kHz),
/// the pickup has fs·duration = 320 frames.</remarks>
public sealed class DatasetFileFormatTests : IDisposable
{
    private const int N = 10, T = 200, W = 101, S = 320;
    private const double Length = 0.65; // nylon-b string (m)
    private static readonly UniformRange Amplitude = DatasetPresets.StringBenchmark.Amplitude; // Gaussian peak (m)
    private readonly ScratchFolder folder = new();
    private readonly ITestOutputHelper output;
    private readonly string path;
    private readonly DatasetData data;

    public DatasetFileFormatTests(ITestOutputHelper output)
    {
        this.output = output;
        path = folder.PathOf("string-benchmark.safetensors");
        data = DatasetTestData.Write(path, DatasetTestData.ShortBenchmark, N, seed: 11, threads: 2);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void TensorsHaveTheDocumentedShapesAndDtypes()
    {
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(["draws", "fields", "initial_state", "pickup"], file.Names.Order(StringComparer.Ordinal));
        Assert.Equal(SafetensorsDtype.F32, file.Info("fields").Dtype);
        Assert.Equal([N, T, W, 2], file.Info("fields").Shape);
        Assert.Equal(SafetensorsDtype.F32, file.Info("pickup").Dtype);
        Assert.Equal([N, S, 2], file.Info("pickup").Shape);
        Assert.Equal(SafetensorsDtype.F64, file.Info("initial_state").Dtype);
        Assert.Equal([N, data.Modes, 2], file.Info("initial_state").Shape);
        Assert.Equal(SafetensorsDtype.F64, file.Info("draws").Dtype);
        Assert.Equal([N, 5], file.Info("draws").Shape);
        Assert.InRange(data.Modes, 2, W - 1);

        // What is read back is what was generated.
        Assert.Equal(DatasetTestData.Bytes(data.Fields), DatasetTestData.RawBytes(path, "fields"));
        Assert.Equal(DatasetTestData.Bytes(data.Pickup), DatasetTestData.RawBytes(path, "pickup"));
        Assert.Equal(DatasetTestData.Bytes(data.InitialState), DatasetTestData.RawBytes(path, "initial_state"));
        Assert.Equal(DatasetTestData.Bytes(data.Draws), DatasetTestData.RawBytes(path, "draws"));
    }

    [Fact]
    public void MetadataDescribesTheFile()
    {
        var meta = DatasetFile.ReadMetadata(path);
        Assert.Equal(DatasetFile.Format, meta["format"]);
        Assert.Equal("physmod-dataset/1", meta["format"]);
        Assert.Equal("string", meta["system"]);
        Assert.Equal("string-benchmark", meta["preset"]);
        Assert.Equal("displacement,velocity", meta["channels"]);
        Assert.Equal("amplitude,x,y,width,force_duration", meta["draw_columns"]);
        Assert.Equal("train=8,val=1,test=1", meta["split"]);
        Assert.Equal((8, 1, 1), DatasetPresets.StringBenchmark.Split(N));
        Assert.Equal("10", meta["count"]);
        Assert.Equal("0", meta["first"]);
        Assert.Equal("0/1", meta["shard"]);
        Assert.Equal("11", meta["seed"]);
        Assert.Equal(16000.0, double.Parse(meta["fs"], CultureInfo.InvariantCulture));
        Assert.Equal($"{data.Modes}", meta["modes"]);
        Assert.Equal("conservative", meta["integrator"]);
        Assert.Equal("1", meta["oversample"]);
        Assert.Equal($"{W}", meta["grid_points"]);
        Assert.Equal(Length, double.Parse(meta["grid_extent_m"], CultureInfo.InvariantCulture));
        Assert.Equal($"{T}", meta["field_frames"]);
        Assert.Equal($"{S}", meta["pickup_frames"]);
        Assert.False(string.IsNullOrWhiteSpace(meta["program_version"]));

        using var parameters = JsonDocument.Parse(meta["parameters"]);
        var names = parameters.RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToHashSet();
        foreach (string name in new[] { "L", "A", "I", "rho", "E", "T0", "d1", "d3" }) Assert.Contains(name, names);
        var lengthEntry = parameters.RootElement.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "L");
        Assert.Equal(Length, lengthEntry.GetProperty("value").GetDouble());
    }

    [Fact]
    public void ConfigInMetadataDeserialisesToTheResolvedRecipe()
    {
        var meta = DatasetFile.ReadMetadata(path);
        var config = JsonSerializer.Deserialize<DatasetConfig>(meta["config"], DatasetConfig.Json);
        Assert.NotNull(config);
        var expected = DatasetTestData.ShortBenchmark with { Modes = data.Modes };
        Assert.Empty(config.Overrides);
        Assert.Equal(expected, config with { Overrides = expected.Overrides }); // the dictionary compares by reference
        Assert.Equal(meta["split"], string.Create(CultureInfo.InvariantCulture,
            $"train={config.Split(N).Train},val={config.Split(N).Validation},test={config.Split(N).Test}"));

        // Unknown keys are rejected, as the design requires for configs.
        string withUnknown = meta["config"].TrimEnd().TrimEnd('}') + ", \"bogus_key\": 1 }";
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DatasetConfig>(withUnknown, DatasetConfig.Json));
    }

    [Theory]
    [InlineData(100, 80, 10, 10)]
    [InlineData(10, 8, 1, 1)]
    [InlineData(7, 6, 1, 0)]
    [InlineData(1, 1, 0, 0)]
    public void SplitCoversEveryTrajectoryOnce(int count, int train, int validation, int test)
    {
        Assert.Equal((train, validation, test), DatasetPresets.StringBenchmark.Split(count));
        var (a, b, c) = DatasetPresets.Dafx25Cubic.Split(count);
        Assert.Equal(count, a + b + c);
        Assert.True(a >= 0 && b >= 0 && c >= 0);
    }

    [Fact]
    public void FixedEndsAreExactlyZero()
    {
        for (int k = 0; k < N; k++)
            for (int t = 0; t < T; t++)
                foreach (int j in new[] { 0, W - 1 })
                    for (int c = 0; c < 2; c++)
                    {
                        float value = Field(k, t, j, c);
                        if (value != 0f) // exactly zero, not merely small
                            Assert.Fail($"trajectory {k}, frame {t}, grid point {j}, channel {c}: {value:G9}, expected exactly 0");
                    }
    }

    [Fact]
    public void DrawsLieInThePresetRanges()
    {
        for (int k = 0; k < N; k++)
        {
            var (amplitude, x, y, width, forceDuration) = Draw(k);
            Assert.InRange(amplitude, Amplitude.Low, Amplitude.High);
            Assert.InRange(x, 0.2 * Length, 0.8 * Length);
            Assert.InRange(width, 0.03 * Length, 0.08 * Length);
            Assert.True(double.IsNaN(y), "a string has no y");
            Assert.True(double.IsNaN(forceDuration), "a Gaussian shape has no force duration");
        }
    }

    [Fact]
    public void ValuesArePhysicallySane()
    {
        Assert.All(data.Fields, v => Assert.True(float.IsFinite(v)));
        Assert.All(data.Pickup, v => Assert.True(float.IsFinite(v)));
        Assert.All(data.InitialState, v => Assert.True(double.IsFinite(v)));

        double spacing = Length / (W - 1);
        for (int k = 0; k < N; k++)
        {
            var (amplitude, x, _, _, _) = Draw(k);

            // Frame 0 is the drawn Gaussian released from rest: peak ≈ amplitude at the drawn centre (modal truncation smooths it).
            int peakIndex = 0;
            double peak = 0;
            for (int j = 0; j < W; j++)
            {
                double w = Math.Abs(Field(k, 0, j, 0));
                if (w > peak) (peak, peakIndex) = (w, j);
                Assert.Equal(0f, Field(k, 0, j, 1));
            }
            output.WriteLine(FormattableString.Invariant($"trajectory {k}: a = {amplitude * 1e3:F3} mm, frame-0 peak {peak * 1e3:F3} mm ({peak / amplitude:F4}), x = {x:F4} m, peak at {peakIndex * spacing:F4} m"));
            Assert.True(Math.Abs(peak / amplitude - 1) < 0.04, $"trajectory {k}: frame-0 peak {peak:G4} m vs drawn amplitude {amplitude:G4} m");
            Assert.True(Math.Abs(peakIndex * spacing - x) <= 1.5 * spacing, $"trajectory {k}: peak at {peakIndex * spacing:G4} m, drawn centre {x:G4} m");
            for (int i = 0; i < data.Modes; i++) Assert.Equal(0.0, data.InitialState[(k * data.Modes + i) * 2 + 1]);

            // The string never moves further than it started (it is released from rest and loses energy).
            double fieldMax = 0, pickupMax = 0;
            for (int t = 0; t < T; t++)
                for (int j = 0; j < W; j++)
                    fieldMax = Math.Max(fieldMax, Math.Abs(Field(k, t, j, 0)));
            for (int n = 0; n < S; n++) pickupMax = Math.Max(pickupMax, Math.Abs(data.Pickup[(k * S + n) * 2]));
            Assert.True(fieldMax <= 1.05 * amplitude, $"trajectory {k}: max |w| {fieldMax:G4} m > 1.05 × a = {1.05 * amplitude:G4} m");
            Assert.True(pickupMax <= 1.05 * amplitude, $"trajectory {k}: pickup max |w| {pickupMax:G4} m > 1.05 × a");
            Assert.True(fieldMax <= 1.05 * Amplitude.High);
        }
    }

    [Fact]
    public void PickupAgreesWithTheFieldAtTheSameGridPoint()
    {
        // The pickup sits at 0.82·L, which is grid point 82 of 101: two read-outs of the same modal state must agree.
        const int j = 82;
        for (int k = 0; k < N; k++)
            for (int t = 0; t < T; t++)
            {
                for (int c = 0; c < 2; c++)
                {
                    float field = Field(k, t, j, c), pickup = data.Pickup[(k * S + t) * 2 + c];
                    Assert.True(Math.Abs(field - pickup) <= 1e-6 * Math.Abs(pickup) + 1e-12,
                        $"trajectory {k}, frame {t}, channel {c}: field {field:G9} vs pickup {pickup:G9}");
                }
            }
    }

    private float Field(int k, int t, int j, int channel) => data.Fields[(((long)k * T + t) * W + j) * 2 + channel];

    private (double Amplitude, double X, double Y, double Width, double ForceDuration) Draw(int k) =>
        (data.Draws[k * 5], data.Draws[k * 5 + 1], data.Draws[k * 5 + 2], data.Draws[k * 5 + 3], data.Draws[k * 5 + 4]);
}
