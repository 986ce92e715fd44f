namespace PhysMod.Learning.Pinn;

/// <summary>What a damped-oscillator PINN run produced: trajectories on the evaluation grid, the log, the learned
/// parameters, errors against the analytic solution and the time it took.</summary>
/// <param name="Config">The settings used.</param>
/// <param name="Problem">Forward or inverse.</param>
/// <param name="Times">Evaluation grid t = n / fs (s). Shape: (samples).</param>
/// <param name="Truth">Analytic solution on the grid. Shape: (samples).</param>
/// <param name="Initial">The untrained network on the grid. Shape: (samples).</param>
/// <param name="Prediction">The trained network on the grid. Shape: (samples).</param>
/// <param name="DataTimes">Times of the data points (s); empty for the forward problem. Shape: (points).</param>
/// <param name="DataValues">Data values. Shape: (points).</param>
/// <param name="Log">Losses and parameters every log interval.</param>
/// <param name="Sigma2">Final σ₂ (learned, or the true value in the forward problem).</param>
/// <param name="Omega0">Final ω₀.</param>
/// <param name="RelativeRms">‖q̂ − q‖_rms / ‖q‖_rms over the whole grid.</param>
/// <param name="RelativeRmsFirstThird">The same over the first third (where the inverse problem has data).</param>
/// <param name="WallSeconds">Training wall-clock time (s).</param>
/// <param name="CpuSeconds">Process CPU time spent training (s).</param>
public sealed record OscillatorPinnResult(OscillatorPinnConfig Config, PinnProblem Problem, double[] Times, double[] Truth, double[] Initial,
    double[] Prediction, double[] DataTimes, double[] DataValues, IReadOnlyList<PinnLogEntry> Log, double Sigma2, double Omega0,
    double RelativeRms, double RelativeRmsFirstThird, double WallSeconds, double CpuSeconds)
{
    /// <summary>|σ̂₂ − σ₂| / σ₂ (0 in the forward problem, where σ₂ is given).</summary>
    public double Sigma2RelativeError => Math.Abs(Sigma2 - Config.Sigma2) / Config.Sigma2;

    /// <summary>|ω̂₀ − ω₀| / ω₀.</summary>
    public double Omega0RelativeError => Math.Abs(Omega0 - Config.Omega0) / Config.Omega0;

    /// <summary>The final logged total loss.</summary>
    public double FinalLoss => Log.Count > 0 ? Log[^1].Total : double.NaN;
}
