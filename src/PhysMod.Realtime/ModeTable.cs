using PhysMod.Physics;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;

namespace PhysMod.Realtime;

/// <summary>Per-mode coefficients of the conservative scheme in scaled coordinates x = √λ q, computed in double from a
/// <see cref="ModalSystem"/> (the one source of the physics) for one sample rate and pickup.</summary>
/// <remarks>
/// With x = k q, k = √λ, the conservative update of <see cref="ConservativeStepper{T}"/> becomes
///   x^{n+1} = (a1 xⁿ − r² x^{n−1} + k b1 s K(x_e) fⁿ − m Sⁿ x^{n−1}) / (1 + m Sⁿ),  Sⁿ = Σ (xⁿ)² = Σ λ (qⁿ)²,
/// so the tension sum needs no λ weights. In increment form, with dⁿ = xⁿ − x^{n−1}, e = 1 + r² − a1 and g = 1 − r²
/// (both small, so float32 keeps them to full relative precision where a1 ≈ 2 and r² ≈ 1 would lose the low modes' tuning):
///   d^{n+1} = dⁿ + (−e xⁿ − g dⁿ + k b1 s K(x_e) fⁿ − 2 m Sⁿ xⁿ) / (1 + m Sⁿ),  x^{n+1} = xⁿ + d^{n+1}. Pickup: w(x_r) = Σ (K(x_r)/‖K‖²/k) x, and the exact velocity read-out
/// q̇ⁿ = α q^{n+1} − β q^{n−1} − γ qⁿ of <see cref="TwoStepStepper{T}"/> with the same weights. Modes whose ω Δt is not
/// below <see cref="NyquistFraction"/>·π are made inert (all coefficients zero: they stay silent).
/// </remarks>
internal sealed class ModeTable
{
    /// <summary>Modes at or above this fraction of the Nyquist frequency are silenced.</summary>
    public const double NyquistFraction = 0.98;

    public ModeTable(ModalSystem system, double sampleRate, Location pickup)
    {
        if (system.Nonlinearity is not (null or TensionModulation))
            throw new InvalidSettingException(
                $"real-time voices handle linear and tension-modulated systems only, not {system.Nonlinearity.GetType().Name}");
        system.Basis.ValidateInside("pickup", pickup);
        InvalidSettingException.RequirePositive("fs", sampleRate, "Hz");
        System = system;
        Modes = system.Modes;
        TimeStep = 1 / sampleRate;
        Tension = (system.Nonlinearity as TensionModulation)?.Coefficient ?? 0;
        int n = Modes;
        Stiffness = new double[n]; Loss = new double[n]; PickupDelta = new double[n]; Gain = new double[n]; ForceGain = new double[n]; Scale = new double[n];
        Pickup = new double[n]; PickupAlpha = new double[n]; PickupBeta = new double[n];
        Inertia = new double[n]; Active = new bool[n]; Coefficients = new ModeCoefficients[n];
        var weights = system.Basis.DisplacementWeights(pickup);
        double dt = TimeStep;
        for (int i = 0; i < n; i++)
        {
            double omega2 = system.Omega2[i], lambda = system.Lambda[i];
            var c = Coefficients[i] = ModeCoefficients.Of(omega2, system.Gamma2[i], dt);
            double k = Math.Sqrt(lambda);
            Scale[i] = k;
            Active[i] = Math.Sqrt(omega2) * dt < NyquistFraction * Math.PI && k > 0;
            if (!Active[i]) continue;
            Loss[i] = -double.ExpM1(-c.Gamma * 2 * dt);          // 1 − r²
            double oneMinusR = -double.ExpM1(-c.Gamma * dt);
            Stiffness[i] = oneMinusR * oneMinusR + 2 * c.R * (1 - c.C);   // 1 + r² − a1 = (1 − r)² + 2r(1 − C)
            Gain[i] = c.ConservativeTensionGain(omega2, lambda, Tension);
            Inertia[i] = c.ConservativeInertia(omega2);
            ForceGain[i] = k * c.B1(dt) * system.InputScale;
            double w = weights[i] / k, alpha = 0.5 / (c.R * c.S), beta = 0.5 * c.R / c.S;
            Pickup[i] = w; PickupAlpha[i] = w * alpha; PickupBeta[i] = w * beta;
            PickupDelta[i] = w * (Loss[i] / (2 * c.R * c.S) - c.Gamma);   // w (α − β − γ): q̇ⁿ = (α − β − γ) xⁿ + α d^{n+1} + β dⁿ
        }
        ActiveModes = Active.Count(a => a);
    }

    public ModalSystem System { get; }
    public int Modes { get; }
    public int ActiveModes { get; }
    public double TimeStep { get; }

    /// <summary>The tension-modulation strength c (0 when linear).</summary>
    public double Tension { get; }

    /// <summary>e = 1 + r² − a1.</summary>
    public double[] Stiffness { get; }

    /// <summary>g = 1 − r².</summary>
    public double[] Loss { get; }

    /// <summary>w (α − β − γ) of the increment-form velocity read-out.</summary>
    public double[] PickupDelta { get; }

    /// <summary>m of the conservative scheme.</summary>
    public double[] Gain { get; }

    /// <summary>k b1 s: the force gain per unit mode shape at the forcing point.</summary>
    public double[] ForceGain { get; }

    /// <summary>k = √λ.</summary>
    public double[] Scale { get; }

    public double[] Pickup { get; }
    public double[] PickupAlpha { get; }
    public double[] PickupBeta { get; }
    public double[] Inertia { get; }
    public bool[] Active { get; }
    public ModeCoefficients[] Coefficients { get; }

    /// <summary>Frame 0 in scaled coordinates, x⁰ and the increment d⁰ for which the scheme's next step gives the
    /// start-up frame of <see cref="TwoStepStepper{T}"/> (q¹ = exact free step + b1 (s K(x_e) f⁰ − ½ f_nl(q⁰))).</summary>
    /// <remarks>Solving d¹ = d⁰ + (−e x⁰ − g d⁰ + F⁰ − 2m S⁰ x⁰)/(1 + m S⁰) for d⁰ (F⁰ = k b1 s K f⁰):
    /// d⁰ = (d¹ (1 + m S⁰) + (e + 2m S⁰) x⁰ − F⁰) / (1 + m S⁰ − g), with 1 + m S⁰ − g ≥ r² &gt; 0. The voice then emits
    /// frame 0 from an ordinary step, and for a linear system the velocity read-out of frame 0 is exactly q̇⁰ (x⁻¹ is then
    /// the exact free solution at −Δt).</remarks>
    /// <param name="q0">q⁰. Shape: (modes).</param>
    /// <param name="v0">q̇⁰. Shape: (modes).</param>
    /// <param name="force0">s K(x_e) f⁰ per mode (zero without force). Shape: (modes).</param>
    /// <param name="x0">x⁰ (output). Shape: (modes).</param>
    /// <param name="d0">d⁰ (output). Shape: (modes).</param>
    public void Start(ReadOnlySpan<double> q0, ReadOnlySpan<double> v0, ReadOnlySpan<double> force0, Span<double> x0, Span<double> d0)
    {
        double stretch = 0;
        for (int i = 0; i < Modes; i++) stretch += System.Lambda[i] * q0[i] * q0[i];
        for (int i = 0; i < Modes; i++)
        {
            if (!Active[i]) { x0[i] = 0; d0[i] = 0; continue; }
            var c = Coefficients[i];
            double b1 = c.B1(TimeStep);
            double q1 = c.NextQ(q0[i], v0[i]) + b1 * (force0[i] - 0.5 * Tension * System.Lambda[i] * q0[i] * stretch);
            double k = Scale[i], x = k * q0[i], d1 = k * q1 - x, ms = Gain[i] * stretch;
            x0[i] = x;
            d0[i] = (d1 * (1 + ms) + (Stiffness[i] + 2 * ms) * x - k * b1 * force0[i]) / (1 + ms - Loss[i]);
        }
    }

    /// <summary>H^{n+½} of the conservative scheme (per unit modal mass) for frames xⁿ, x^{n+1} in scaled coordinates.</summary>
    public double Energy(ReadOnlySpan<float> current, ReadOnlySpan<float> next)
    {
        double h = 0, sNow = 0, sNext = 0;
        for (int i = 0; i < Modes; i++)
        {
            if (!Active[i]) continue;
            double q0 = current[i] / Scale[i], q1 = next[i] / Scale[i], omega2 = System.Omega2[i];
            h += 0.5 * ((Inertia[i] - omega2 / 4) * (q1 - q0) * (q1 - q0) + omega2 / 4 * (q1 + q0) * (q1 + q0));
            sNow += (double)current[i] * current[i]; sNext += (double)next[i] * next[i];
        }
        return h + Tension / 4 * sNext * sNow;
    }
}
