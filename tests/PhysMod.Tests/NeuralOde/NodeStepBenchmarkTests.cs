using System.Text.Json;
using PhysMod.Learning.Benchmarks;
using PhysMod.Learning.NeuralOde;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Modal;
using static TorchSharp.torch;

namespace PhysMod.Tests.NeuralOde;

/// <summary>The tutorial-NODE step benchmark does real training, restores the thread count, and its fixture for the PyTorch
/// self-check holds the plucked ground truth and the loss the tensor rollout computes from the same windows.</summary>
public sealed class NodeStepBenchmarkTests
{
    [Fact]
    public void TheTimedStepsTrainAndTheThreadCountIsRestored()
    {
        int before = get_num_threads();
        var timing = NodeStepBenchmark.Measure(windows: 128, steps: 12, warmup: 1, threads: 1);
        Assert.Equal(before, get_num_threads());
        Assert.True(timing.LossDecreased, $"loss {timing.LossFirst} → {timing.LossLast}");
        Assert.True(timing.MinSeconds > 0 && timing.MinSeconds <= timing.MedianSeconds);
        Assert.Equal(128, timing.Windows);
    }

    [Fact]
    public void TheFixtureHoldsThePluckedGroundTruthAndTheTensorRolloutsLoss()
    {
        string path = Path.Combine(Path.GetTempPath(), $"node-fixture-{Guid.NewGuid():N}.json");
        try
        {
            NodeStepBenchmark.WriteFixture(path, count: 16);
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            var q = root.GetProperty("q").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
            var v = root.GetProperty("v").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
            Assert.Equal(NodeStepBenchmark.Frames, q.Length);
            Assert.All(q, row => Assert.Equal(NodeStepBenchmark.Modes, row.Length));
            // frame 0: the triangular pluck released from rest
            var system = ModalSystem.ForString(TutorialExperiment.Truth, NodeStepBenchmark.Modes, tensionModulation: true);
            var (q0, v0) = (new double[NodeStepBenchmark.Modes], new double[NodeStepBenchmark.Modes]);
            new TriangularPluck(TutorialExperiment.PluckHeight, TutorialExperiment.PluckPosition).InitialState(system, q0, v0);
            Assert.Equal(q0, q[0]);
            Assert.All(v[0], x => Assert.Equal(0.0, x));
            // the stored loss is the tensor rollout's (no kernel) for the stored parameters and windows
            using var scope = NewDisposeScope();
            var starts = tensor(root.GetProperty("starts").EnumerateArray().Select(x => x.GetInt64()).ToArray());
            var init = root.GetProperty("initial").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            using var model = new TutorialStringModel(TutorialExperiment.Truth, NodeStepBenchmark.Modes, tensionModulation: true, init[0], init[1], init[2]);
            var sampler = new WindowedRollout(tensor(q.SelectMany(r => r).ToArray(), new long[] { q.Length, q[0].Length }, float64),
                tensor(v.SelectMany(r => r).ToArray(), new long[] { v.Length, v[0].Length }, float64), NodeStepBenchmark.Window) { UseKernel = false };
            double loss = sampler.Loss(model.Coefficients(), RecurrentIntegrator.Verlet, 1 / NodeStepBenchmark.SampleRate, starts).item<double>();
            double stored = root.GetProperty("loss").GetDouble();
            Assert.True(Math.Abs(stored / loss - 1) < 1e-11, $"fixture loss {stored:G17} vs tensor rollout {loss:G17}");
            Assert.Equal(3, root.GetProperty("gradient").GetArrayLength());
        }
        finally { File.Delete(path); }
    }
}
