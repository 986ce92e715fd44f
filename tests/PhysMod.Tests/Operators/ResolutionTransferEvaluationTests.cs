using System.Text.Json;
using PhysMod.Learning.Evaluation;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.IO;
using PhysMod.Tests.Evaluation;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Operators;

/// <summary>The evaluator refuses a dataset on another grid than the run's unless a grid change is allowed, and then
/// evaluates on the new grid (resolution transfer) with a note.</summary>
public sealed class ResolutionTransferEvaluationTests
{
    [Fact]
    public void AGridChangeIsRefusedUnlessAllowedAndThenEvaluatedOnTheNewGrid()
    {
        using var folder = new ScratchFolder();
        string coarse = folder.PathOf("coarse.safetensors"), fine = folder.PathOf("fine.safetensors"), run = folder.PathOf("run");
        Write(coarse, points: 11);
        Write(fine, points: 21);
        var outcome = TrainingSession.Run(new TrainingRequest { Family = new DecayFamily(), Config = new DecayFamily().DefaultConfig, DataPath = coarse, RunFolder = run });
        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        using var trained = TrainedRun.Load(run, new DecayFamily());
        var test = TestSplit.Load(fine);
        var options = new EvaluationOptions { TrainingHorizon = 40, ListenSeconds = 0, FigureTrajectories = 0 };
        var refused = Assert.Throws<InvalidSettingException>(() => new Evaluator(options).Evaluate(trained, test));
        Assert.Contains("21 grid points", refused.Message);
        Assert.Contains("allow-grid-change", refused.Message);
        var report = new Evaluator(options with { AllowGridChange = true }).Evaluate(trained, test);
        Assert.Equal(21, report.GridPoints);
        Assert.Contains(report.Notes, n => n.Contains("resolution transfer: evaluated on 21 grid points, trained on 11"));
        // The decay model is exact up to its fitted gain on either grid, so the error must be as small as on the training grid.
        var onTrainingGrid = new Evaluator(options).Evaluate(trained, TestSplit.Load(coarse));
        double fineError = report.Horizons[0].Field["displacement"].RelativeL2, coarseError = onTrainingGrid.Horizons[0].Field["displacement"].RelativeL2;
        Assert.True(Math.Abs(fineError - coarseError) < 0.05 * coarseError + 1e-6, $"fine {fineError} vs coarse {coarseError}");
    }

    // One standing wave per trajectory decaying as exp(−20 t), sampled on W points over 0.5 m (a grid-independent function).
    private static void Write(string path, int points)
    {
        const int count = 10, frames = 80;
        var fields = new float[count * frames * points * 2];
        var pickup = new float[count * frames * 2];
        for (int n = 0; n < count; n++)
            for (int f = 0; f < frames; f++)
                for (int i = 0; i < points; i++)
                {
                    double t = f / 16000.0, shape = Math.Sin(Math.PI * i / (points - 1)), decay = 1e-3 * (1 + 0.1 * n) * Math.Exp(-20 * t);
                    int k = ((n * frames + f) * points + i) * 2;
                    fields[k] = (float)(decay * shape);
                    fields[k + 1] = (float)(-20 * decay * shape);
                }
        var writer = new SafetensorsWriter();
        writer.Add("fields", fields, count, frames, points, 2);
        writer.Add("pickup", pickup, count, frames, 2);
        writer.Metadata["format"] = DatasetFile.Format;
        writer.Metadata["split"] = "train=6,val=2,test=2";
        writer.Metadata["fs"] = "16000";
        writer.Metadata["grid_points"] = points.ToString(System.Globalization.CultureInfo.InvariantCulture);
        writer.Metadata["grid_extent_m"] = "0.5";
        writer.Metadata["shard"] = "0/1";
        writer.Metadata["config"] = JsonSerializer.Serialize(new { pickup_fraction_x = 0.8 });
        writer.Save(path);
    }
}
