using PhysMod.Audio;
using PhysMod.Learning.Evaluation;
using PhysMod.Learning.Koopman;
using PhysMod.Learning.Training;

namespace PhysMod.Learning.Inspection;

/// <summary>The tutorial's "edit the eigenvalues" exercise: renders the pickup signal of a Koopman run before and after scaling
/// chosen eigenvalues' frequency and decay, as WAVs and spectrograms.</summary>
/// <remarks>Both rollouts start from the same test initial state and are read at the pickup grid point, displacement
/// channel, in metres; the WAVs are peak-normalised to 0.9 so they can be compared by ear (their peaks are returned).</remarks>
public static class EigenvalueEditRender
{
    /// <summary>Renders <paramref name="frames"/> frames of test trajectory <paramref name="trajectory"/> with the run's model and
    /// with the edited copy into <paramref name="folder"/> (original.wav/png, edited.wav/png, edited eigenvalue table).</summary>
    public static EditRenderResult Render(TrainedRun run, KoopmanModel model, IReadOnlyList<EigenvalueEdit> edits, TestSplit data, int trajectory,
        int frames, string folder)
    {
        if (trajectory < 0 || trajectory >= data.Count)
            throw new Physics.InvalidSettingException($"--trajectory {trajectory}: the test split has trajectories 0 … {data.Count - 1}");
        if (frames < 2) throw new Physics.InvalidSettingException($"render length {frames} frames: need at least 2");
        var scale = run.Normalisation.Scale;
        int channels = scale.Count;
        var edited = model;
        try
        {
            foreach (var edit in edits)
            {
                var next = edited.WithEditedEigenvalues(edit);
                if (!ReferenceEquals(edited, model)) edited.Dispose();
                edited = next;
            }
            float[] initial = Rollouts.InitialStates(data, trajectory, 1, channels, scale);
            double[] before = Displacement(Rollouts.Pickup(model, initial, frames, 0, data.GridPoints, data.PickupGridIndex, channels, scale), channels);
            double[] after = Displacement(Rollouts.Pickup(edited, initial, frames, 0, data.GridPoints, data.PickupGridIndex, channels, scale), channels);
            Directory.CreateDirectory(folder);
            int rate = (int)Math.Round(data.SampleRate);
            var files = new List<string>();
            foreach (var (name, signal) in new[] { ("original", before), ("edited", after) })
            {
                if (!signal.All(double.IsFinite))
                    throw new Physics.InvalidSettingException($"the {name} rollout is not finite within {frames} frames: the edit made the model unstable (|λ| > 1?)");
                string wav = Path.Combine(folder, name + ".wav"), png = Path.Combine(folder, name + "_spectrogram.png");
                WavFile.Write(wav, signal.Select(v => (float)v).ToArray(), rate, peakNormalise: 0.9);
                int fft = Math.Min(2048, HighestPowerOfTwo(signal.Length));
                Plots.Spectrogram(png, signal, data.SampleRate, $"{run.Config.Family} {name}: pickup displacement, test trajectory {trajectory}",
                    fftSize: fft, hop: Math.Max(1, fft / 8));
                files.Add(wav);
                files.Add(png);
            }
            var rows = EigenvalueTable.Rows(edited.Eigenvalues(), data.SampleRate);
            files.AddRange(EigenvalueTable.Write(folder, run.Config.Family + " (edited)", rows, data.SampleRate, stem: "eigenvalues_edited"));
            return new EditRenderResult(files, before.Max(Math.Abs), after.Max(Math.Abs), frames / data.SampleRate);
        }
        finally
        {
            if (!ReferenceEquals(edited, model)) edited.Dispose();
        }
    }

    private static double[] Displacement(float[] pickup, int channels)
    {
        var signal = new double[pickup.Length / channels];
        for (int f = 0; f < signal.Length; f++) signal[f] = pickup[f * channels];
        return signal;
    }

    private static int HighestPowerOfTwo(int n)
    {
        int p = 1;
        while (p * 2 <= n) p *= 2;
        return p;
    }
}
