using PhysMod.Physics;

namespace PhysMod.Learning.Estimation;

/// <summary>How a string's parameters are fitted to a recording: which, with which loss, how many starts and steps.</summary>
/// <param name="Fit">Parameters to fit, a subset of T0, d1, d3, L (spec names).</param>
/// <param name="Loss">mrstft, logmag or mse.</param>
/// <param name="Starts">Independent starts; the best final loss wins.</param>
/// <param name="Steps">Adam updates per start.</param>
/// <param name="LearningRate">Peak Adam rate on the log-ratio parameters θ = log(p / p_start).</param>
/// <param name="Seed">Seed of the random starts.</param>
/// <param name="Threads">Torch threads.</param>
public sealed record EstimationSettings(IReadOnlyList<string> Fit, string Loss = "mrstft", int Starts = 4, int Steps = 400,
    double LearningRate = 0.05, long Seed = 0, int Threads = 1)
{
    /// <summary>The parameters that can be fitted.</summary>
    public static IReadOnlyList<string> Fittable { get; } = ["T0", "d1", "d3", "L"];

    /// <summary>Checks names and ranges; throws <see cref="InvalidSettingException"/> naming the bad value.</summary>
    public EstimationSettings Validate()
    {
        if (Fit.Count == 0) throw new InvalidSettingException($"--fit is empty: name one or more of {string.Join(", ", Fittable)}");
        foreach (var name in Fit)
            if (!Fittable.Contains(name)) throw new InvalidSettingException($"--fit '{name}': allowed are {string.Join(", ", Fittable)}");
        if (Fit.Distinct().Count() != Fit.Count) throw new InvalidSettingException($"--fit {string.Join(",", Fit)}: a parameter is named twice");
        AudioLoss.Parse(Loss);
        if (Starts is < 1 or > 64) throw new InvalidSettingException($"--starts {Starts}: must be between 1 and 64");
        if (Steps is < 1 or > 100_000) throw new InvalidSettingException($"--steps {Steps}: must be between 1 and 100000");
        InvalidSettingException.RequirePositive("--lr", LearningRate, "");
        if (Threads is < 1 or > 64) throw new InvalidSettingException($"--threads {Threads}: must be between 1 and 64");
        return this;
    }
}
