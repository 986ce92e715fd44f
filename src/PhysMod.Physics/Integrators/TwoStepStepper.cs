using System.Numerics;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>Shared machinery of the two-step (q^{n−1}, q^n → q^{n+1}) schemes: start-up and velocity read-out.</summary>
/// <remarks>
/// Start: q¹ = exact free step of (q⁰, q̇⁰) + b1 (f⁰ − ½ f_nl(q⁰)), accurate to O(Δt³).
/// The stepper runs one step ahead so that frame n can report a centred velocity: either the exact linear read-out
/// q̇ⁿ = (q^{n+1}/r − r q^{n−1}) / (2S) − γ qⁿ (for the linear-exact schemes) or (q^{n+1} − q^{n−1}) / (2Δt).
/// </remarks>
public abstract class TwoStepStepper<T> : ModalStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ModalSystem _system;
    private readonly double _dt;
    private readonly T[] _readR, _readRInv, _readHalfInvS, _readGamma;
    private readonly bool _exactReadout;

    /// <summary>Sets up the look-ahead buffers and the velocity read-out.</summary>
    protected TwoStepStepper(ModalSystem system, double dt, bool forced, bool exactReadout) : base(system.Modes, forced)
    {
        _system = system; _dt = dt; _exactReadout = exactReadout;
        Previous = new T[Padded]; Next = new T[Padded]; NonlinearForce = new T[Padded];
        Kernel = NonlinearKernel<T>.Create(system.Nonlinearity, Padded);
        var c = Enumerable.Range(0, system.Modes).Select(i => ModeCoefficients.Of(system.Omega2[i], system.Gamma2[i], dt)).ToArray();
        Coefficients = c;
        // the plain centred difference has r = 1: scaling by r there would add an O(1) error γ q to the velocity
        _readR = exactReadout ? Pad(i => c[i].R, 1) : Pad(_ => 1.0, 1);
        _readRInv = exactReadout ? Pad(i => 1 / c[i].R, 1) : Pad(_ => 1.0, 1);
        _readHalfInvS = exactReadout ? Pad(i => 0.5 / c[i].S, 0) : Pad(_ => 0.5 / dt, 0.5 / dt);
        _readGamma = exactReadout ? Pad(i => c[i].Gamma) : new T[Padded];
    }

    /// <summary>Exact linear coefficients per mode (unpadded).</summary>
    protected IReadOnlyList<ModeCoefficients> Coefficients { get; }

    /// <summary>The nonlinear force kernel, or null.</summary>
    protected NonlinearKernel<T>? Kernel { get; }

    /// <summary>q^{n−1}, padded.</summary>
    protected T[] Previous { get; private set; }

    /// <summary>q^{n+1}, padded.</summary>
    protected T[] Next { get; private set; }

    /// <summary>Scratch for f_nl, padded.</summary>
    protected T[] NonlinearForce { get; }

    /// <inheritdoc />
    protected override void OnStart()
    {
        Kernel?.Evaluate(Q, NonlinearForce);
        for (int i = 0; i < Modes; i++)
        {
            var c = Coefficients[i];
            double q = double.CreateTruncating(Q[i]), v = double.CreateTruncating(V[i]);
            double drive = (Forced ? double.CreateTruncating(CurrentForce[i]) : 0)
                           - 0.5 * (Kernel is null ? 0 : double.CreateTruncating(NonlinearForce[i]));
            Next[i] = T.CreateTruncating(c.NextQ(q, v) + c.B1(_dt) * drive);
        }
    }

    /// <inheritdoc />
    protected override void OnAdvance()
    {
        (Previous, Q, Next) = (Q, Next, Previous);      // q^{n−1} ← q^n, q^n ← q^{n+1}; old q^{n−1} buffer is reused
        Step(Previous, Q, Next, NextForceBuffer);       // q^{n+2} from q^n, q^{n+1} and the caller's f^{n+1}
        ReadVelocity();
    }

    /// <summary>Computes q^{n+1} into <paramref name="next"/> from q^{n−1}, q^n and f^n (padded arrays).</summary>
    protected abstract void Step(T[] previous, T[] current, T[] next, T[] force);

    private void ReadVelocity()
    {
        var v = Lanes(V); var q = Lanes(Q); var p = Lanes(Previous); var n = Lanes(Next);
        var rInv = Lanes(_readRInv); var r = Lanes(_readR); var h = Lanes(_readHalfInvS); var g = Lanes(_readGamma);
        for (int i = 0; i < v.Length; i++) v[i] = (n[i] * rInv[i] - r[i] * p[i]) * h[i] - g[i] * q[i];
    }

    /// <summary>The system being integrated.</summary>
    protected ModalSystem System => _system;

    /// <summary>The time step.</summary>
    protected double TimeStep => _dt;

    /// <summary>Whether the velocity read-out is the exact linear one.</summary>
    protected bool ExactReadout => _exactReadout;
}
