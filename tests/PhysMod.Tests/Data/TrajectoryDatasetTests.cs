using PhysMod.Learning.Data;
using PhysMod.Physics;
using PhysMod.Physics.IO;
using PhysMod.Tests.IO;
using static TorchSharp.torch;

namespace PhysMod.Tests.Data;

/// <summary>Loading dataset files: every bad file is one clear line naming it; splits, crops and normalisation are exact.</summary>
public sealed class TrajectoryDatasetTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static void AssertOneLine(Exception e, params string[] fragments)
    {
        Assert.DoesNotContain('\n', e.Message);
        foreach (var fragment in fragments) Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void MissingFileNamesIt()
    {
        string path = _folder.PathOf("nope.safetensors");
        var e = Assert.Throws<FileNotFoundException>(() => TrajectoryDataset.Open(path));
        AssertOneLine(e, path, "not found");
    }

    [Fact]
    public void TruncatedFileNamesIt()
    {
        string path = DataFiles.WriteValid(_folder.PathOf("d.safetensors"));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 17)]);
        var e = Assert.Throws<InvalidDataException>(() => TrajectoryDataset.Open(path));
        AssertOneLine(e, path, "truncated");
    }

    [Fact]
    public void GarbageFileNamesIt()
    {
        string path = _folder.PathOf("garbage.safetensors");
        File.WriteAllText(path, "this is not a safetensors file at all");
        var e = Assert.Throws<InvalidDataException>(() => TrajectoryDataset.Open(path));
        AssertOneLine(e, path);
    }

    [Fact]
    public void SafetensorsWithoutDatasetFormatIsNotADataset()
    {
        string path = _folder.PathOf("other.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("fields", new float[2 * 3 * 4 * 2], 2, 3, 4, 2);
        writer.Metadata["format"] = "pt";
        writer.Save(path);
        var e = Assert.Throws<InvalidDataException>(() => TrajectoryDataset.Open(path));
        AssertOneLine(e, path, "not a PhysMod dataset", "'pt'");
    }

    [Theory]
    [InlineData(3, "rank 3")]
    [InlineData(4, "3 channels")]
    public void WrongShapeNamesTheShape(int rank, string fragment)
    {
        string path = _folder.PathOf("shape.safetensors");
        if (rank == 3)
            DataFiles.Write(path, new float[10 * 8 * 3], 10, 8, 3, (6, 2, 2), shape: [10, 8, 3]);
        else
            DataFiles.Write(path, new float[10 * 8 * 3 * 3], 10, 8, 3, (6, 2, 2), channels: 3);
        var e = Assert.Throws<InvalidDataException>(() => TrajectoryDataset.Open(path));
        AssertOneLine(e, path, fragment, "fields");
    }

    [Fact]
    public void SplitThatDoesNotAddUpIsRejected()
    {
        string path = DataFiles.Write(_folder.PathOf("shard.safetensors"), DataFiles.Field(10, 8, 3), 10, 8, 3, (16, 2, 2),
            new Dictionary<string, string> { ["shard"] = "0/2" });
        var e = Assert.Throws<InvalidDataException>(() => TrajectoryDataset.Open(path));
        AssertOneLine(e, path, "does not add up", "merge");
    }

    [Fact]
    public void TooFewFramesAndEmptySplitsAreSettingErrors()
    {
        string path = DataFiles.WriteValid(_folder.PathOf("d.safetensors"), split: (8, 2, 0));
        var dataset = TrajectoryDataset.Open(path);
        var frames = Assert.Throws<InvalidSettingException>(() => dataset.RequireFrames(9, "training.eval_frames"));
        AssertOneLine(frames, "training.eval_frames = 9", "only 8 frames", path);
        var empty = Assert.Throws<InvalidSettingException>(() => dataset.Read(DataSplit.Test, 4));
        AssertOneLine(empty, "test split is empty", path);
    }

    [Fact]
    public void SplitsFollowStoredOrderAndCropFrames()
    {
        const int n = 10, t = 8, w = 3;
        var field = DataFiles.Field(n, t, w);
        string path = DataFiles.Write(_folder.PathOf("d.safetensors"), field, n, t, w, (6, 2, 2));
        var dataset = TrajectoryDataset.Open(path);
        Assert.Equal((10, 8, 3, 2), (dataset.Count, dataset.Frames, dataset.GridPoints, dataset.Channels));
        Assert.Equal(new SplitSizes(6, 2, 2), dataset.Split);
        var validation = dataset.Read(DataSplit.Validation, 5);
        Assert.Equal(2 * 5 * w * 2, validation.Length);
        for (int trajectory = 0; trajectory < 2; trajectory++)
            for (int i = 0; i < 5 * w * 2; i++)
                Assert.Equal(field[(6 + trajectory) * t * w * 2 + i], validation[trajectory * 5 * w * 2 + i]);
    }

    [Fact]
    public void NormalisationIsMaxAbsPerChannelOverEveryStoredFrameOfTheTrainingSplitOnly()
    {
        const int n = 10, t = 8, w = 3;
        var field = DataFiles.Field(n, t, w);
        int Index(int trajectory, int frame, int point, int channel) => ((trajectory * t + frame) * w + point) * 2 + channel;
        // The largest |displacement| of the training split sits in its last stored frame (beyond any train_frames crop),
        // and larger values in the validation and test splits must not count.
        field[Index(5, t - 1, 1, 0)] = -0.5f;
        field[Index(2, 0, 2, 1)] = 7.25f;
        field[Index(7, 3, 0, 0)] = 100f;
        field[Index(9, 1, 1, 1)] = -200f;
        string path = DataFiles.Write(_folder.PathOf("d.safetensors"), field, n, t, w, (6, 2, 2));
        var normalisation = TrajectoryDataset.Open(path).ComputeNormalisation();
        Assert.Equal([0.5, 7.25], normalisation.Scale);

        using var scope = NewDisposeScope();
        var train = TrajectoryDataset.Open(path).LoadTensor(DataSplit.Train, 4, normalisation);
        Assert.Equal([6L, 4, 3, 2], train.shape);
        Assert.Equal(ScalarType.Float32, train.dtype);
        Assert.Equal(field[Index(2, 0, 2, 1)] / 7.25f, train[2, 0, 2, 1].item<float>());
        Assert.Equal(field[Index(3, 2, 1, 0)] / 0.5f, train[3, 2, 1, 0].item<float>());
        var back = normalisation.Denormalise(train);
        Assert.Equal(field[Index(1, 1, 1, 1)], back[1, 1, 1, 1].item<float>(), 6);
    }

    [Fact]
    public void AllZeroChannelGetsUnitScale()
    {
        var field = new float[10 * 8 * 3 * 2];
        for (int i = 0; i < field.Length; i += 2) field[i] = 0.25f;
        string path = DataFiles.Write(_folder.PathOf("z.safetensors"), field, 10, 8, 3, (6, 2, 2));
        Assert.Equal([0.25, 1.0], TrajectoryDataset.Open(path).ComputeNormalisation().Scale);
    }
}
