using PhysMod.Learning.Koopman;
using PhysMod.Physics;

namespace PhysMod.Tests.Inspection;

/// <summary>The <c>--edit INDICES:freq=F,decay=D</c> syntax of <c>physmod inspect</c>.</summary>
public sealed class EigenvalueEditParseTests
{
    [Theory]
    [InlineData("all:freq=2", new[] { 0, 1, 2, 3, 4, 5, 6, 7 }, 2.0, 1.0)]
    [InlineData("3:decay=0.5", new[] { 3 }, 1.0, 0.5)]
    [InlineData("0-2,6:freq=1.25,decay=3", new[] { 0, 1, 2, 6 }, 1.25, 3.0)]
    [InlineData("1,1,2-3:freq=0.5", new[] { 1, 2, 3 }, 0.5, 1.0)]
    public void ReadsIndicesAndFactors(string spec, int[] indices, double frequency, double decay)
    {
        var edit = EigenvalueEdit.Parse(spec, eigenvalueCount: 8);
        Assert.Equal(indices, edit.Indices);
        Assert.Equal(frequency, edit.FrequencyScale);
        Assert.Equal(decay, edit.DecayScale);
    }

    [Theory]
    [InlineData("freq=2", "missing ':'")]
    [InlineData("3:", "missing ':'")]
    [InlineData("x:freq=2", "'x' is not an index")]
    [InlineData("5-2:freq=2", "runs backwards")]
    [InlineData("8:freq=2", "eigenvalue index 8")]
    [InlineData("1:pitch=2", "unknown factor 'pitch'")]
    [InlineData("1:freq=two", "'freq=two' is not NAME=NUMBER")]
    [InlineData("1:freq=-1", "frequency scale = -1")]
    [InlineData("1:decay=0", "decay scale = 0")]
    public void BadSpecsNameWhatIsWrong(string spec, string fragment)
    {
        var error = Assert.Throws<InvalidSettingException>(() => EigenvalueEdit.Parse(spec, eigenvalueCount: 8));
        Assert.Contains(fragment, error.Message);
    }
}
