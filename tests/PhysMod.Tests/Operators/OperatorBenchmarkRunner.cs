using PhysMod.Learning.Operators;
using Xunit.Abstractions;

namespace PhysMod.Tests.Operators;

/// <summary>A temporary way to run the FNO speed comparison until <c>physmod bench train</c> calls
/// <see cref="OperatorBenchmark"/>: skipped unless PHYSMOD_BENCH_FNO names a file for the report.</summary>
/// <remarks>Run: <c>PHYSMOD_BENCH_FNO=/tmp/fno-bench.md OMP_WAIT_POLICY=PASSIVE dotnet test PhysMod.slnx -c Release --no-build
/// --filter FullyQualifiedName~OperatorBenchmarkRunner</c>; the report (PyTorch via benchmarks/ref/run_torch.sh, then TorchSharp,
/// and their ratio) is written to that file. It checks that training lowers the loss and asserts no time.</remarks>
public sealed class OperatorBenchmarkRunner(ITestOutputHelper output)
{
    private const string Variable = "PHYSMOD_BENCH_FNO";

    [FactIfEnvironment(Variable)]
    public void CompareTheFnoWithPyTorch()
    {
        string reportPath = Environment.GetEnvironmentVariable(Variable)!;
        int steps = int.TryParse(Environment.GetEnvironmentVariable("PHYSMOD_BENCH_STEPS"), out int s) ? s : 30;
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "PhysMod.slnx"))) root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("PhysMod.slnx not found above the test binaries");
        var log = new StringWriter();
        var reference = OperatorBenchmark.RunPyTorchReference(Path.Combine(root, "benchmarks", "ref"), steps: steps, log: log);
        var train = OperatorBenchmark.MeasureTrainStep(steps: steps);
        var inference = OperatorBenchmark.MeasureInferenceFrame();
        string report = OperatorBenchmark.Report(reference, train, inference);
        File.WriteAllText(reportPath, report + "\n" + log);
        output.WriteLine(report);
        Assert.True(train.LossLast < train.LossFirst, $"the loss did not decrease: {train.LossFirst} → {train.LossLast}");
        Assert.Equal(861_478, train.Parameters);
    }
}
