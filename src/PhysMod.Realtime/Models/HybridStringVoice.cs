using System.Runtime.CompilerServices;

namespace PhysMod.Realtime.Models;

/// <summary>A voice that plays a hybrid neural-ODE string: the damped velocity Verlet step of the modal string plus the
/// learned residual force, one step per output sample.</summary>
/// <remarks>
/// With the conservative acceleration F(q) = −ω² q − r(q) and the modal force f_n = s[n] b (signal s, modal shape b):
/// <code>
///   v½ = v + ½Δt (F(q) + f_n − γ₂ v),   q⁺ = q + Δt v½,   v⁺ = (v½ + ½Δt (F(q⁺) + f_{n+1})) / (1 + ½γ₂Δt)
///   y_n = Σ_μ c_μ q_μ   (sample n is read before step n, so y_0 is the initial state's)
/// </code>
/// exactly the torch model's <c>DampedVerletBlock</c>. F(q⁺) is kept for the next step, so the MLP runs once per sample. The
/// modal state and the physics are float64 (the phase of the highest mode, ~4000 rad over 10 000 steps, would drift by
/// ~3e-4 rad with float32 coefficients); the MLP is float32 (<see cref="MlpStack"/>). Every 1024 steps values below 1e-200 are
/// set to zero, so a decayed state never becomes subnormal. Nothing is allocated after construction.
/// </remarks>
public sealed class HybridStringVoice : IVoice
{
    private const int FlushInterval = 1024;
    private const double FlushBelow = 1e-200;

    private readonly int _n;
    private readonly double _dt;
    private readonly double[] _omega2, _gamma2, _pickup, _forceShape, _forceSignal, _q0, _v0, _q, _v, _conservative, _pendingQ, _pendingV, _damping;   // _damping = 1 + ½Δt γ₂
    private volatile bool _statePending;
    private long _forceStep;      // index into the force signal; past its end once the voice is re-excited
    private readonly MlpStack? _mlp;
    private readonly float[] _mlpInput, _mlpOutput;
    private readonly double _inputScale, _outputScale;

    /// <summary>Creates the voice at the state (q0, v0) with an optional driving force.</summary>
    /// <param name="weights">Coefficients and MLP.</param>
    /// <param name="pickup">Readout weights c_μ (N), e.g. the mode shapes at the pickup.</param>
    /// <param name="q0">Initial modal displacement (N).</param>
    /// <param name="v0">Initial modal velocity (N).</param>
    /// <param name="forceSignal">s[n] per sample (zero after its end), or empty for none.</param>
    /// <param name="forceShape">b_μ (N), or empty when there is no force.</param>
    public HybridStringVoice(HybridStringWeights weights, ReadOnlySpan<double> pickup, ReadOnlySpan<double> q0, ReadOnlySpan<double> v0,
        ReadOnlySpan<double> forceSignal = default, ReadOnlySpan<double> forceShape = default)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _n = weights.Modes;
        if (_n < 1 || weights.Gamma2.Length != _n) throw new ArgumentException($"ω² has {weights.Omega2.Length} and γ₂ {weights.Gamma2.Length} modes", nameof(weights));
        if (!(weights.SampleRate > 0) || double.IsInfinity(weights.SampleRate)) throw new ArgumentOutOfRangeException(nameof(weights), weights.SampleRate, "sample rate must be finite and > 0 Hz");
        if (pickup.Length != _n || q0.Length != _n || v0.Length != _n) throw new ArgumentException($"pickup, q0 and v0 must have {_n} values");
        if (forceSignal.Length > 0 && forceShape.Length != _n) throw new ArgumentException($"a force needs a modal shape of {_n} values", nameof(forceShape));
        foreach (var (values, name) in new[] { (weights.Omega2, "ω²"), (weights.Gamma2, "γ₂"), (q0.ToArray(), "q0"), (v0.ToArray(), "v0"), (forceSignal.ToArray(), "force") })
            if (values.Any(v => !double.IsFinite(v))) throw new ArgumentException($"{name} holds NaN or infinite values");
        if (weights.Gamma2.Any(g => g < 0)) throw new ArgumentException("γ₂ must be ≥ 0 (a damping)", nameof(weights));
        _dt = 1 / weights.SampleRate;
        SampleRate = weights.SampleRate;
        _omega2 = weights.Omega2.ToArray();
        _gamma2 = weights.Gamma2.ToArray();
        _pickup = pickup.ToArray();
        _q0 = q0.ToArray();
        _v0 = v0.ToArray();
        _forceSignal = forceSignal.ToArray();
        _forceShape = forceSignal.Length > 0 ? forceShape.ToArray() : new double[_n];
        _q = new double[_n];
        _v = new double[_n];
        _conservative = new double[_n];
        _damping = _gamma2.Select(g => 1 + 0.5 * _dt * g).ToArray();
        _pendingQ = new double[_n];
        _pendingV = new double[_n];
        if (weights.Residual is { } layers)
        {
            _mlp = new MlpStack(layers, 1, "residual");
            if (_mlp.Inputs != _n || _mlp.Outputs != _n) throw new ArgumentException($"residual MLP maps {_mlp.Inputs} → {_mlp.Outputs}, not {_n} → {_n}", nameof(weights));
            if (!(weights.InputScale > 0) || !double.IsFinite(weights.OutputScale)) throw new ArgumentException("MLP scales must be finite, input scale > 0", nameof(weights));
        }
        _mlpInput = new float[PackedLinear.Pad(_n)];
        _mlpOutput = new float[_mlp?.OutputStride ?? 0];
        _inputScale = weights.InputScale;
        _outputScale = weights.OutputScale;
        Modes = _n;
        ParameterCount = weights.ParameterCount;
        Reset();
    }

    /// <inheritdoc/>
    public double SampleRate { get; }

    /// <summary>N.</summary>
    public int Modes { get; }

    /// <summary>Learned scalars (4 physical parameters and the MLP).</summary>
    public long ParameterCount { get; }

    /// <summary>Steps taken since the last reset.</summary>
    public long Position { get; private set; }

    /// <summary>The modal displacement q (N) now.</summary>
    public ReadOnlySpan<double> Displacement => _q;

    /// <summary>Restarts the string from the modal state (q0, v0) (N values each) at the next block, without the driving
    /// force (the force plays from construction or <see cref="Reset"/> only). Prepared here, applied by the audio thread.</summary>
    public void SetInitialState(ReadOnlySpan<double> q0, ReadOnlySpan<double> v0)
    {
        if (q0.Length != _n || v0.Length != _n) throw new ArgumentException($"q0 and v0 must have {_n} values");
        foreach (var value in q0) if (!double.IsFinite(value)) throw new ArgumentException("q0 holds NaN or infinite values", nameof(q0));
        foreach (var value in v0) if (!double.IsFinite(value)) throw new ArgumentException("v0 holds NaN or infinite values", nameof(v0));
        q0.CopyTo(_pendingQ);
        v0.CopyTo(_pendingV);
        _statePending = true;
    }

    /// <inheritdoc/>
    public void Process(Span<float> output)
    {
        if (_statePending)
        {
            _pendingQ.CopyTo(_q, 0);
            _pendingV.CopyTo(_v, 0);
            Conservative(_q, _conservative);
            _forceStep = _forceSignal.Length;
            _statePending = false;
        }
        for (int i = 0; i < output.Length; i++)
        {
            double y = 0;
            for (int m = 0; m < _n; m++) y += _pickup[m] * _q[m];
            output[i] = (float)y;
            Step();
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _q0.CopyTo(_q, 0);
        _v0.CopyTo(_v, 0);
        Position = 0;
        _forceStep = 0;
        _statePending = false;
        Conservative(_q, _conservative);
    }

    private void Step()
    {
        long n = _forceStep;
        double f0 = n < _forceSignal.Length ? _forceSignal[n] : 0, f1 = n + 1 < _forceSignal.Length ? _forceSignal[n + 1] : 0;
        double half = 0.5 * _dt;
        for (int m = 0; m < _n; m++)
        {
            double vHalf = _v[m] + half * (_conservative[m] + f0 * _forceShape[m] - _gamma2[m] * _v[m]);
            _v[m] = vHalf;                                                                          // v½ until the second kick
            _q[m] += _dt * vHalf;
        }
        Conservative(_q, _conservative);                                                            // F(q⁺)
        for (int m = 0; m < _n; m++)
            _v[m] = (_v[m] + half * (_conservative[m] + f1 * _forceShape[m])) / _damping[m];
        _forceStep = n + 1;
        Position++;
        if (Position % FlushInterval == 0) Flush();
    }

    // F(q) = −ω² q − s_r · MLP(q / s_q).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Conservative(double[] q, double[] result)
    {
        if (_mlp is null)
        {
            for (int m = 0; m < _n; m++) result[m] = -_omega2[m] * q[m];
            return;
        }
        for (int m = 0; m < _n; m++)
        {
            float x = (float)(q[m] / _inputScale);
            _mlpInput[m] = MathF.Abs(x) < 1e-30f ? 0f : x;                                          // no subnormal floats into the MLP
        }
        _mlp.Run(_mlpInput, _mlpInput.Length, _mlpOutput, 1);
        for (int m = 0; m < _n; m++) result[m] = -_omega2[m] * q[m] - _outputScale * _mlpOutput[m];
    }

    private void Flush()
    {
        for (int m = 0; m < _n; m++)
        {
            if (Math.Abs(_q[m]) < FlushBelow) _q[m] = 0;
            if (Math.Abs(_v[m]) < FlushBelow) _v[m] = 0;
        }
    }
}
