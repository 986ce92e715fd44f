namespace PhysMod.Learning.Evaluation;

/// <summary>Per trajectory, channel and frame sums of squared and absolute errors and ground-truth values, from which every field
/// metric over any frame range (a horizon or a block) follows without keeping the predictions.</summary>
/// <remarks>
/// With e = pred − gt summed over the grid points of one frame: SSE = Σe², SSG = Σgt², SAE = Σ|e|, SAG = Σ|gt|.
/// A metric over channels with weights w_c (one-hot for one channel, 1/scale_c for normalised data) uses
/// Σ_c w_c² SSE_c (squares) and Σ_c w_c SAE_c (absolute values). Sums are kept in double.
/// </remarks>
public sealed class FrameErrorSums
{
    private readonly double[] _sse, _ssg, _sae, _sag; // each (n, C, T)

    /// <summary>Creates zeroed sums for <paramref name="trajectories"/> × <paramref name="frames"/> frames of
    /// <paramref name="gridPoints"/> × <paramref name="channels"/>.</summary>
    public FrameErrorSums(int trajectories, int frames, int gridPoints, int channels)
    {
        if (trajectories < 1 || frames < 1 || gridPoints < 1 || channels < 1)
            throw new ArgumentException($"sizes must be ≥ 1 (trajectories {trajectories}, frames {frames}, grid {gridPoints}, channels {channels})");
        (Trajectories, Frames, GridPoints, Channels) = (trajectories, frames, gridPoints, channels);
        long size = (long)trajectories * channels * frames;
        _sse = new double[size]; _ssg = new double[size]; _sae = new double[size]; _sag = new double[size];
    }

    /// <summary>Test trajectories n.</summary>
    public int Trajectories { get; }

    /// <summary>Frames T.</summary>
    public int Frames { get; }

    /// <summary>Grid points W.</summary>
    public int GridPoints { get; }

    /// <summary>Channels C.</summary>
    public int Channels { get; }

    /// <summary>Adds one trajectory's errors; <paramref name="prediction"/> and <paramref name="truth"/> are (T, W, C) in physical units.</summary>
    public void Add(int trajectory, ReadOnlySpan<float> prediction, ReadOnlySpan<float> truth)
    {
        if ((uint)trajectory >= (uint)Trajectories) throw new ArgumentOutOfRangeException(nameof(trajectory));
        long expected = (long)Frames * GridPoints * Channels;
        if (prediction.Length != expected || truth.Length != expected)
            throw new ArgumentException($"prediction ({prediction.Length}) and truth ({truth.Length}) must both hold T·W·C = {expected} values");
        for (int f = 0; f < Frames; f++)
            for (int c = 0; c < Channels; c++)
            {
                double sse = 0, ssg = 0, sae = 0, sag = 0;
                for (int i = 0; i < GridPoints; i++)
                {
                    int k = (f * GridPoints + i) * Channels + c;
                    double g = truth[k], e = prediction[k] - g;
                    sse += e * e; ssg += g * g; sae += Math.Abs(e); sag += Math.Abs(g);
                }
                long at = Index(trajectory, c, f);
                _sse[at] = sse; _ssg[at] = ssg; _sae[at] = sae; _sag[at] = sag;
            }
    }

    /// <summary>The errors of one channel over frames 0..<paramref name="frames"/>−1.</summary>
    public ChannelErrors Channel(int channel, int frames, string unit)
    {
        if ((uint)channel >= (uint)Channels) throw new ArgumentOutOfRangeException(nameof(channel));
        var weights = new double[Channels];
        weights[channel] = 1;
        return Errors(weights, frames, unit);
    }

    /// <summary>The errors of all channels together, each divided by its normalisation scale, over frames 0..<paramref name="frames"/>−1.</summary>
    public ChannelErrors Normalised(IReadOnlyList<double> scale, int frames) => Errors(Weights(scale), frames, "1");

    /// <summary>Σ|pred − gt| / Σ|gt| of one channel over frames [first, first + count).</summary>
    public double RelativeMae(int channel, int first, int count)
    {
        var weights = new double[Channels];
        weights[channel] = 1;
        return RelativeMae(weights, first, count);
    }

    /// <summary>Σ|pred − gt| / Σ|gt| of all channels in normalised units over frames [first, first + count).</summary>
    public double RelativeMaeNormalised(IReadOnlyList<double> scale, int first, int count) => RelativeMae(Weights(scale), first, count);

    private double[] Weights(IReadOnlyList<double> scale)
    {
        if (scale.Count != Channels) throw new ArgumentException($"scale has {scale.Count} entries for {Channels} channels");
        return scale.Select(s => 1.0 / s).ToArray();
    }

    private ChannelErrors Errors(double[] weights, int frames, string unit)
    {
        CheckRange(0, frames);
        double sse = 0, ssg = 0, sae = 0, sag = 0;
        var perTrajectory = new List<double>(Trajectories);
        for (int n = 0; n < Trajectories; n++)
        {
            double trajectorySse = 0, trajectorySsg = 0;
            for (int c = 0; c < Channels; c++)
            {
                double w = weights[c];
                if (w == 0) continue;
                for (int f = 0; f < frames; f++)
                {
                    long at = Index(n, c, f);
                    trajectorySse += w * w * _sse[at]; trajectorySsg += w * w * _ssg[at];
                    sae += w * _sae[at]; sag += w * _sag[at];
                }
            }
            sse += trajectorySse; ssg += trajectorySsg;
            if (trajectorySsg > 0) perTrajectory.Add(Math.Sqrt(trajectorySse / trajectorySsg));
        }
        int used = weights.Count(w => w != 0);
        double mean = perTrajectory.Count > 0 ? perTrajectory.Average() : double.NaN;
        double std = perTrajectory.Count > 0 ? Math.Sqrt(perTrajectory.Sum(r => (r - mean) * (r - mean)) / perTrajectory.Count) : double.NaN;
        return new ChannelErrors(
            Mse: sse / ((double)Trajectories * frames * GridPoints * used),
            MseUnit: unit,
            RelativeL2: Math.Sqrt(sse / ssg),
            RelativeL2TrajectoryMean: mean,
            RelativeL2TrajectoryStd: std,
            RelativeMae: sae / sag);
    }

    private double RelativeMae(double[] weights, int first, int count)
    {
        CheckRange(first, count);
        double sae = 0, sag = 0;
        for (int n = 0; n < Trajectories; n++)
            for (int c = 0; c < Channels; c++)
                for (int f = first; f < first + count; f++)
                {
                    long at = Index(n, c, f);
                    sae += weights[c] * _sae[at]; sag += weights[c] * _sag[at];
                }
        return sae / sag;
    }

    private void CheckRange(int first, int count)
    {
        if (first < 0 || count < 1 || first + count > Frames)
            throw new ArgumentOutOfRangeException(nameof(count), $"frames [{first}, {first + count}) are outside 0..{Frames}");
    }

    private long Index(int trajectory, int channel, int frame) => ((long)trajectory * Channels + channel) * Frames + frame;
}
