using PhysMod.Physics.Datasets;
using PhysMod.Tests.Datasets;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Cli;

/// <summary><c>physmod dataset</c> and <c>physmod merge</c> in-process.</summary>
[Collection(CliCollection.Name)]
public sealed class DatasetCommandTests : IDisposable
{
    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void GeneratesAPresetAndPrintsItsPath()
    {
        string path = folder.PathOf("small.safetensors");
        var result = CliHarness.Run("dataset", "string-small", "--count", "4", "--seed", "1", "--out", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([Path.GetFullPath(path)], result.StdoutLines);
        Assert.Equal(["small.safetensors"], CliHarness.Entries(folder.Root)); // no temporary file left beside it
        var meta = DatasetFile.ReadMetadata(path);
        Assert.Equal("string-small", meta["preset"]);
        Assert.Equal("4", meta["count"]);
        Assert.Equal("1", meta["seed"]);
        Assert.Equal("0/1", meta["shard"]);

        // The CLI writes exactly what the library generates for the same recipe, count and seed.
        string library = folder.PathOf("library.safetensors");
        DatasetTestData.Write(library, DatasetPresets.StringSmall, 4, 1, threads: 1);
        DatasetTestData.AssertSameTensors(library, path);
        Assert.Equal(DatasetTestData.Metadata(library), DatasetTestData.Metadata(path));
    }

    [Fact]
    public void OptionsReachTheRecipe()
    {
        string path = folder.PathOf("custom.safetensors");
        var result = CliHarness.Run("dataset", "string-benchmark", "--count", "3", "--duration", "0.01", "--linear",
            "--field-frames", "50", "--range", "amplitude=0.001:0.002", "--threads", "2", "--out", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        var data = DatasetGenerator.Generate(DatasetPresets.StringBenchmark with
        {
            Duration = 0.01, TensionModulation = false, FieldFrames = 50, Amplitude = new(0.001, 0.002),
        }, 3, 0, DatasetShard.Whole, threads: 1);
        Assert.Equal(DatasetTestData.Bytes(data.Fields), DatasetTestData.RawBytes(path, "fields"));
        Assert.Equal(DatasetFile.Metadata(data), DatasetTestData.Metadata(path));
    }

    public static TheoryData<string, string[]> BadInputs => new()
    {
        { "dataset string-benchmark --count 3 --shard 3/2", ["'3/2'"] },
        { "dataset string-benchmark --count 3 --shard 0/4", ["0/4", "3"] },
        { "dataset violin --count 3", ["'violin'", "string-benchmark"] },
        { "dataset string-small --count 0", ["count = 0"] },
        { "dataset string-small --count 3 --range amplitude=2:1", ["amplitude", "2:1"] },
        { "dataset string-small --count 3 --range pitch=1:2", ["pitch"] },
        { "dataset string-small --count 3 --excitation bogus", ["'bogus'"] },
        { "dataset string-small --count 3 --excite pluck", ["--excitation"] },
        { "dataset string-small --count 3 --integrator bogus", ["'bogus'"] },
        { "dataset string-small --count 3 --set Q=1", ["'Q'"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputGivesOneLineAndNoFile(string commandLine, string[] fragments)
    {
        string path = folder.PathOf("data.safetensors");
        var result = CliHarness.Run([.. CliHarness.Split(commandLine), "--out", path]);
        CliHarness.AssertFailsWithOneLine(result, fragments);
        Assert.Empty(CliHarness.Entries(folder.Root));
    }

    [Fact]
    public void UnwritableOutputGivesOneLineAndNoFile()
    {
        string blocker = folder.PathOf("blocker");
        File.WriteAllText(blocker, "a file, not a folder");
        string path = Path.Combine(blocker, "data.safetensors");
        CliHarness.AssertFailsWithOneLine(CliHarness.Run("dataset", "string-small", "--count", "3", "--out", path), path);

        string directory = folder.PathOf("a-folder");
        Directory.CreateDirectory(directory);
        CliHarness.AssertFailsWithOneLine(CliHarness.Run("dataset", "string-small", "--count", "3", "--out", directory), directory);
        Assert.Equal(["a-folder", "blocker"], CliHarness.Entries(folder.Root));
    }

    [Fact]
    public void ShardsMadeByTheCliMergeIntoTheUnshardedDataset()
    {
        string whole = folder.PathOf("whole.safetensors");
        Assert.Equal(0, CliHarness.Run("dataset", "string-small", "--count", "5", "--seed", "7", "--out", whole).ExitCode);
        string[] shards = [folder.PathOf("part0.safetensors"), folder.PathOf("part1.safetensors")];
        for (int i = 0; i < 2; i++)
        {
            var made = CliHarness.Run("dataset", "string-small", "--count", "5", "--seed", "7", "--shard", $"{i}/2", "--out", shards[i]);
            Assert.True(made.ExitCode == 0, made.ToString());
        }

        string merged = folder.PathOf("merged.safetensors");
        var result = CliHarness.Run("merge", shards[1], shards[0], "--out", merged);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([Path.GetFullPath(merged)], result.StdoutLines);
        DatasetTestData.AssertSameTensors(whole, merged);
        Assert.Equal(DatasetTestData.Metadata(whole), DatasetTestData.Metadata(merged));
    }

    [Fact]
    public void MergeRefusesIncompleteOrForeignInputWithOneLine()
    {
        string part = folder.PathOf("part1.safetensors");
        Assert.Equal(0, CliHarness.Run("dataset", "string-small", "--count", "5", "--shard", "1/2", "--out", part).ExitCode);
        string text = folder.PathOf("notes.txt");
        File.WriteAllText(text, "not a dataset");
        var before = CliHarness.Entries(folder.Root);
        string merged = folder.PathOf("merged.safetensors");

        CliHarness.AssertFailsWithOneLine(CliHarness.Run("merge", part, "--out", merged), "missing");
        CliHarness.AssertFailsWithOneLine(CliHarness.Run("merge", part, text, "--out", merged), text);
        CliHarness.AssertFailsWithOneLine(CliHarness.Run("merge", folder.PathOf("absent.safetensors"), "--out", merged), "absent.safetensors");
        Assert.Equal(before, CliHarness.Entries(folder.Root));
    }
}
