using System.Text.Json;
using PhysMod.Learning.Baselines;
using PhysMod.Physics;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Baselines;

/// <summary>The DMD baseline: exact recovery of a linear system, rollout shapes and dtypes, the checkpointed operator.</summary>
public sealed class DmdModelTests
{
    private const int Grid = 4, Channels = 2, Size = Grid * Channels;

    /// <summary>A stable operator with known spectrum: rotations by 0.3 … 1.2 rad with moduli 0.9 … 0.99, in a random basis.</summary>
    private static Tensor KnownOperator()
    {
        var generator = new Generator(21);
        var block = zeros(Size, Size, dtype: ScalarType.Float64);
        for (int j = 0; j < Size / 2; j++)
        {
            double r = 0.9 + 0.03 * j, angle = 0.3 * (j + 1);
            block[2 * j, 2 * j] = r * Math.Cos(angle); block[2 * j, 2 * j + 1] = -r * Math.Sin(angle);
            block[2 * j + 1, 2 * j] = r * Math.Sin(angle); block[2 * j + 1, 2 * j + 1] = r * Math.Cos(angle);
        }
        var basis = eye(Size, dtype: ScalarType.Float64) + 0.3 * randn(new long[] { Size, Size }, dtype: ScalarType.Float64, generator: generator);
        return basis.matmul(block).matmul(linalg.inv(basis));
    }

    /// <summary>Trajectories (N, T, W, C) of x_{k+1} = A x_k from random initial states.</summary>
    private static Tensor Trajectories(Tensor a, int count, int frames, long seed)
    {
        var x = randn(new long[] { count, Size }, dtype: ScalarType.Float64, generator: new Generator((ulong)seed));
        var list = new List<Tensor> { x };
        for (int k = 1; k < frames; k++) list.Add(list[^1].matmul(a.t()));
        return stack(list, dim: 1).reshape(count, frames, Grid, Channels);
    }

    [Theory]
    [InlineData(0.0, 1e-10)]
    [InlineData(1e-12, 1e-8)]        // the default ridge
    public void RecoversAnExactlyLinearSystem(double ridge, double tolerance)
    {
        using var scope = NewDisposeScope();
        var a = KnownOperator();
        using var model = new DmdModel(new DmdModelConfig { Ridge = ridge }, Grid, Channels);
        model.Fit(Trajectories(a, count: 6, frames: 30, seed: 1));
        Assert.Equal(Size, model.FittedRank);
        double error = (model.Operator - a).abs().max().item<double>();
        Assert.True(error < tolerance, $"max |A_fit − A| = {error:E2}");

        // and rolls out new initial states of the same system exactly
        var test = Trajectories(a, count: 3, frames: 50, seed: 2);
        using var noGrad = no_grad();
        var rollout = model.Rollout(test[.., 0], 50);
        Assert.True((rollout - test).abs().max().item<double>() < 100 * tolerance);
        Assert.True(model.Loss(test).Total.item<double>() < tolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(200)]
    public void RolloutHasTheRequestedLengthStartsAtX0AndKeepsTheInputDtype(int steps)
    {
        using var scope = NewDisposeScope();
        var a = KnownOperator();
        using var model = new DmdModel(new DmdModelConfig(), Grid, Channels);
        model.Fit(Trajectories(a, 6, 30, 1).to(ScalarType.Float32));
        var x0 = randn(new long[] { 5, Grid, Channels }, generator: new Generator(3));
        var rollout = model.Rollout(x0, steps);
        Assert.Equal(new long[] { 5, steps, Grid, Channels }, rollout.shape);
        Assert.Equal(ScalarType.Float32, rollout.dtype);
        Assert.True(rollout[.., 0].allclose(x0, rtol: 0, atol: 0));
        var x0Double = x0.to(ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, model.Rollout(x0Double, steps).dtype);
        Assert.Equal(5 * Size, x0Double.numel());                // the caller's tensor is still alive
    }

    [Fact]
    public void RankTruncationKeepsTheLeadingDirections()
    {
        using var scope = NewDisposeScope();
        using var model = new DmdModel(new DmdModelConfig { Rank = 3 }, Grid, Channels);
        model.Fit(Trajectories(KnownOperator(), 6, 30, 1));
        Assert.Equal(3, model.FittedRank);
        Assert.Equal(3, linalg.matrix_rank(model.Operator).item<long>());
    }

    [Fact]
    public void TheOperatorIsInTheStateDictAndSurvivesACopy()
    {
        using var scope = NewDisposeScope();
        using var fitted = new DmdModel(new DmdModelConfig(), Grid, Channels);
        fitted.Fit(Trajectories(KnownOperator(), 6, 30, 1));
        var state = fitted.state_dict();
        Assert.Equal(new[] { DmdModel.OperatorName }, state.Keys.ToArray());
        Assert.Equal(ScalarType.Float64, state[DmdModel.OperatorName].dtype);
        using var loaded = new DmdModel(new DmdModelConfig(), Grid, Channels);
        loaded.load_state_dict(state);
        Assert.True(loaded.Operator.allclose(fitted.Operator, rtol: 0, atol: 0));
        Assert.Empty(fitted.parameters());
    }

    [Fact]
    public void TheFamilyReadsItsConfigAndRejectsUnknownKeys()
    {
        var family = new DmdFamily();
        Assert.Equal("dmd", family.Name);
        using var model = family.Create(family.DefaultConfig.Model, Grid, Channels, trainFrames: 100, seed: 0);
        Assert.True(model.ClosedForm);
        Assert.Equal("dmd", model.Family);
        Assert.Equal(1e-12, ((DmdModel)model).Config.Ridge);
        var unknown = JsonDocument.Parse("""{"rank": 3, "rigde": 1e-6}""").RootElement;
        var error = Assert.Throws<InvalidSettingException>(() => family.Create(unknown, Grid, Channels, 100, 0));
        Assert.Contains("rigde", error.Message);
        var negative = JsonDocument.Parse("""{"ridge": -1}""").RootElement;
        Assert.Throws<InvalidSettingException>(() => family.Create(negative, Grid, Channels, 100, 0));
    }

    [Fact]
    public void FitRejectsWrongShapes()
    {
        using var scope = NewDisposeScope();
        using var model = new DmdModel(new DmdModelConfig(), Grid, Channels);
        Assert.Throws<ArgumentException>(() => model.Fit(zeros(3, 10, Grid + 1, Channels)));
        Assert.Throws<ArgumentException>(() => model.Fit(zeros(3, 1, Grid, Channels)));
        Assert.Throws<ArgumentException>(() => model.Fit(zeros(3, 10, Grid, Channels)));   // all-zero data
        Assert.Throws<ArgumentException>(() => model.Rollout(zeros(3, Grid, Channels + 1), 5));
    }
}
