using PhysMod.Physics;

namespace PhysMod.Learning.Training;

/// <summary>The one-cycle learning rate of optax <c>cosine_onecycle_schedule</c>: a cosine rise from peak/div to the peak,
/// then a cosine fall to peak/(div·final_div).</summary>
/// <remarks>
/// optax builds it as <c>piecewise_interpolate_schedule('cosine', peak/div, {⌊pct·N⌋: div, N: 1/(div·final_div)})</c>, so with
/// boundaries b₀ = 0, b₁ = ⌊pct·N⌋, b₂ = N and values v₀ = peak/div, v₁ = peak, v₂ = peak/(div·final_div):
/// <code>
/// lr(t) = v_{i+1} + (v_i − v_{i+1})/2 · (cos(π (t − b_i)/(b_{i+1} − b_i)) + 1)   for b_i ≤ t &lt; b_{i+1}
/// lr(t) = v₂                                                                     for t ≥ N
/// </code>
/// Defaults pct = 0.3, div = 25, final_div = 10⁴ (spec §0). One deviation: when ⌊pct·N⌋ = 0 (N &lt; 4 with the defaults)
/// optax divides by a zero-length interval and returns NaN; here the empty warm-up is skipped.
/// </remarks>
public sealed class OneCycleCosineSchedule : ILearningRateSchedule
{
    private readonly long[] _bounds;
    private readonly double[] _values;

    /// <summary>A schedule over <paramref name="transitionSteps"/> updates peaking at <paramref name="peakValue"/>.</summary>
    public OneCycleCosineSchedule(long transitionSteps, double peakValue, double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4)
    {
        if (transitionSteps < 1) throw new InvalidSettingException($"one-cycle schedule: transition steps = {transitionSteps}: must be ≥ 1");
        InvalidSettingException.RequirePositive("one-cycle schedule: peak value", peakValue, "");
        if (!(pctStart >= 0 && pctStart < 1)) throw new InvalidSettingException($"one-cycle schedule: pct_start = {pctStart}: must be in [0, 1)");
        InvalidSettingException.RequirePositive("one-cycle schedule: div_factor", divFactor, "");
        InvalidSettingException.RequirePositive("one-cycle schedule: final_div_factor", finalDivFactor, "");
        TransitionSteps = transitionSteps;
        PeakValue = peakValue;
        WarmupSteps = (long)Math.Floor(pctStart * transitionSteps);
        // The values are the cumulative products optax forms: init, init·div, init·div/(div·final_div).
        double initial = peakValue / divFactor;
        double peak = initial * divFactor;
        double final = peak * (1.0 / (divFactor * finalDivFactor));
        _bounds = [0, WarmupSteps, transitionSteps];
        _values = [initial, peak, final];
    }

    /// <summary>Updates over which the schedule runs (the total training steps).</summary>
    public long TransitionSteps { get; }

    /// <summary>The peak learning rate.</summary>
    public double PeakValue { get; }

    /// <summary>Updates of the rising piece: ⌊pct_start·N⌋.</summary>
    public long WarmupSteps { get; }

    /// <summary>The learning rate at update 0: peak/div.</summary>
    public double InitialValue => _values[0];

    /// <summary>The learning rate from update N on: peak/(div·final_div).</summary>
    public double FinalValue => _values[2];

    /// <inheritdoc/>
    public double At(long step)
    {
        for (int i = 0; i < 2; i++)
        {
            long begin = _bounds[i], end = _bounds[i + 1];
            if (step >= begin && step < end)
            {
                double pct = (double)(step - begin) / (end - begin);
                return _values[i + 1] + (_values[i] - _values[i + 1]) / 2.0 * (Math.Cos(Math.PI * pct) + 1);
            }
        }
        return step >= TransitionSteps ? _values[2] : _values[0];
    }
}
