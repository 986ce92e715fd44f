using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics;

namespace PhysMod.Realtime;

/// <summary>A real-time simulator voice: a linear or tension-modulated string, plate or membrane in modal form, stepped
/// in float32 with the energy-conserving conservative scheme and read out at a pickup.</summary>
/// <remarks>
/// The update is that of <see cref="PhysMod.Physics.Integrators.ConservativeStepper{T}"/> (exact for the linear system,
/// unconditionally stable with tension modulation), in scaled coordinates x = √λ q (so S = Σ x²) and increment form
/// d = xⁿ − x^{n−1} (see <see cref="ModeTable"/>), which keeps the low modes in tune in float32:
///   d^{n+1} = dⁿ + (−e xⁿ − g dⁿ + k b1 s K(x_e) fⁿ − 2 m Sⁿ xⁿ) / (1 + m Sⁿ),  x^{n+1} = xⁿ + d^{n+1}.
/// Output sample n is frame n of <see cref="PhysMod.Physics.Simulation.Simulator"/>: the pickup displacement Σ w xⁿ or
/// the exact velocity read-out Σ w[(α − β − γ) xⁿ + α d^{n+1} + β dⁿ], accumulated in the same pass that writes x^{n+1}.
/// Without AVX-512 the same update runs on System.Numerics.Vector&lt;float&gt; or one float at a time (<see cref="Simd.Path"/>;
/// the sums group differently, so the paths agree to float32 rounding, not bit for bit).
/// One pass per sample over 16-lane <see cref="Vector512{T}"/> vectors; the tension sum is reduced with a butterfly
/// that leaves it in every lane. Every 1024 steps modes whose two states are both below 1e-15 (scaled) are set to
/// exactly zero, so decayed modes never become denormal (at fixed step counts, independent of the block size).
/// Parameter, pickup and excitation changes are prepared on the calling thread and handed over lock-free; they take
/// effect at the start of the next <see cref="Process"/> call. <see cref="Process"/> allocates nothing.
/// </remarks>
public sealed class ModalVoice : IExcitableVoice
{
    private const int Lanes = VoiceCoefficients.Lanes, K = VoiceCoefficients.K, FlushInterval = 1024;
    private const float FlushThreshold = 1e-15f;

    private readonly VoiceCoefficients _initialCoefficients;
    private readonly PreparedExcitation? _initialExcitation;
    private readonly Location _initialPickup;
    private readonly float[] _state;            // (2, padded): x^{n+1} and d^{n+1} = x^{n+1} − xⁿ (look-ahead frame)
    private readonly float[] _forceWeights;     // k b1 s K(x_e), padded
    private VoiceCoefficients _coefficients;
    private VoiceCoefficients _latest;          // the most recently requested coefficients (to prepare excitations against)
    private VoiceCoefficients? _pendingCoefficients;
    private PreparedExcitation? _pendingExcitation;
    private PreparedExcitation? _force;         // active force (its samples and shape)
    private int _forceIndex;
    private float _stretch;                     // Σ x² of the stored frame
    private int _sinceFlush;

    /// <summary>Creates a voice for <paramref name="system"/> at <paramref name="sampleRate"/>, read at
    /// <paramref name="pickup"/>, started from <paramref name="excitation"/> (at rest when null).</summary>
    public ModalVoice(ModalSystem system, double sampleRate, Location pickup, PickupSignal signal = PickupSignal.Velocity,
        Excitation? excitation = null)
    {
        Signal = signal;
        _initialCoefficients = _coefficients = _latest = new VoiceCoefficients(system, sampleRate, pickup);
        SampleRate = sampleRate;
        Pickup = _initialPickup = pickup;
        int padded = _coefficients.Padded;
        _state = new float[2 * padded];
        _forceWeights = new float[padded];
        _initialExcitation = excitation is null ? null : PreparedExcitation.Create(excitation, _coefficients.Table, restart: true);
        Reset();
    }

    /// <inheritdoc />
    public double SampleRate { get; }

    /// <summary>Which signal is output.</summary>
    public PickupSignal Signal { get; }

    /// <summary>Number of modes (including silenced ones).</summary>
    public int Modes => _coefficients.Table.Modes;

    /// <summary>Modes below <see cref="ModeTable.NyquistFraction"/> of the Nyquist frequency (the others are silent).</summary>
    public int ActiveModes => _coefficients.Table.ActiveModes;

    /// <summary>The modal system being played (the last one applied).</summary>
    public ModalSystem System => _coefficients.Table.System;

    /// <summary>The pickup position of the last requested coefficients.</summary>
    public Location Pickup { get; private set; }

    /// <inheritdoc />
    public void Reset()
    {
        _pendingCoefficients = null;
        _pendingExcitation = null;
        _coefficients = _latest = _initialCoefficients;
        Pickup = _initialPickup;
        Array.Clear(_state);
        _stretch = 0;
        _sinceFlush = 0;
        _force = null;
        if (_initialExcitation is not null) Apply(_initialExcitation);
    }

    /// <inheritdoc />
    public void Excite(Excitation excitation)
    {
        var prepared = PreparedExcitation.Create(excitation, Volatile.Read(ref _latest).Table, restart: false);
        Volatile.Write(ref _pendingExcitation, prepared);
    }

    /// <summary>Plays a new modal system from the next block on, keeping the motion (mode by mode): e.g. the same string at
    /// another tension or damping. It must have the same number of modes and the same kind of basis. Any thread.</summary>
    public void SetSystem(ModalSystem system)
    {
        var start = _initialCoefficients.Table.System;
        if (system.Modes != start.Modes || system.Basis.GetType() != start.Basis.GetType())
            throw new InvalidSettingException(
                $"a playing voice can change to a system with the same basis and {start.Modes} modes only, not {system.Modes} modes of {system.Basis.GetType().Name}");
        Request(new VoiceCoefficients(system, SampleRate, Pickup));
    }

    /// <summary>Moves the pickup from the next block on. Any thread.</summary>
    public void SetPickup(Location pickup)
    {
        var coefficients = new VoiceCoefficients(Volatile.Read(ref _latest).Table.System, SampleRate, pickup);
        Pickup = pickup;
        Request(coefficients);
    }

    private void Request(VoiceCoefficients coefficients)
    {
        Volatile.Write(ref _latest, coefficients);
        Volatile.Write(ref _pendingCoefficients, coefficients);
    }

    /// <summary>The conservative scheme's discrete energy H^{n+½} (per unit modal mass, double) of the last two frames
    /// computed; for tests and diagnostics, not for the audio thread.</summary>
    public double Energy()
    {
        int padded = _coefficients.Padded;
        var next = _state.AsSpan(0, padded);                     // the look-ahead frame x^{n+1} …
        var now = new float[padded];                             // … and xⁿ = x^{n+1} − d^{n+1} of the last emitted frame
        for (int i = 0; i < padded; i++) now[i] = _state[i] - _state[padded + i];
        return _coefficients.Table.Energy(now, next);
    }

    /// <inheritdoc />
    public void Process(Span<float> output)
    {
        ApplyPending();
        while (!output.IsEmpty)
        {
            int chunk = Math.Min(output.Length, FlushInterval - _sinceFlush);
            bool forced = _force is not null;
            if (forced) chunk = Math.Min(chunk, _force!.Force!.Length - _forceIndex);
            if (chunk > 0)
            {
                bool tension = _coefficients.Table.Tension != 0;
                bool velocity = Signal == PickupSignal.Velocity;
                switch ((tension, forced, velocity))
                {
                    case (true, false, true): Dispatch<On, Off, On>(output[..chunk]); break;
                    case (true, false, false): Dispatch<On, Off, Off>(output[..chunk]); break;
                    case (false, false, true): Dispatch<Off, Off, On>(output[..chunk]); break;
                    case (false, false, false): Dispatch<Off, Off, Off>(output[..chunk]); break;
                    case (true, true, true): Dispatch<On, On, On>(output[..chunk]); break;
                    case (true, true, false): Dispatch<On, On, Off>(output[..chunk]); break;
                    case (false, true, true): Dispatch<Off, On, On>(output[..chunk]); break;
                    case (false, true, false): Dispatch<Off, On, Off>(output[..chunk]); break;
                }
                output = output[chunk..];
                _sinceFlush += chunk;
            }
            if (forced && _forceIndex >= _force!.Force!.Length) _force = null;
            if (_sinceFlush >= FlushInterval)
            {
                Flush();
                _sinceFlush = 0;
            }
        }
    }

    private void ApplyPending()
    {
        if (Volatile.Read(ref _pendingCoefficients) is not null && Interlocked.Exchange(ref _pendingCoefficients, null) is { } c)
        {
            // keep the motion per mode: q stays, so x = √λ q is rescaled when λ changes
            var oldScale = _coefficients.Table.Scale; var newScale = c.Table.Scale;
            int padded = c.Padded;
            double stretch = 0;
            for (int i = 0; i < c.Table.Modes; i++)
            {
                float ratio = c.Table.Active[i] ? (float)(newScale[i] / oldScale[i]) : 0f;
                _state[i] *= ratio;
                _state[padded + i] *= ratio;
                stretch += (double)_state[i] * _state[i];
            }
            _stretch = (float)stretch;
            _coefficients = c;
            if (_force is not null) SetForceWeights(_force);
        }
        if (Volatile.Read(ref _pendingExcitation) is not null && Interlocked.Exchange(ref _pendingExcitation, null) is { } e) Apply(e);
    }

    private void Apply(PreparedExcitation e)
    {
        int padded = _coefficients.Padded, modes = _coefficients.Table.Modes;
        if (e.Restart)
        {
            // the next step emits frame 0 and computes frame 1
            Array.Clear(_state);
            e.X0.AsSpan().CopyTo(_state.AsSpan(0, modes));
            e.D0.AsSpan().CopyTo(_state.AsSpan(padded, modes));
            double stretch = 0;
            for (int i = 0; i < modes; i++) stretch += (double)e.X0[i] * e.X0[i];
            _stretch = (float)stretch;
        }
        if (e.Force is not null)
        {
            _force = e;
            _forceIndex = 0;
            SetForceWeights(e);
        }
        else if (e.Restart) _force = null;
    }

    private void SetForceWeights(PreparedExcitation e)
    {
        var gain = _coefficients.ForceGain;
        for (int i = 0; i < e.ForceShape.Length; i++) _forceWeights[i] = gain[i] * e.ForceShape[i];
    }

    // Sets modes whose last two frames are both negligible to exactly zero (no denormals as they decay further).
    private void Flush()
    {
        int padded = _coefficients.Padded;
        ref float x = ref MemoryMarshal.GetArrayDataReference(_state);
        switch (Simd.Path)
        {
            case SimdPath.Vector512:
                var threshold = Vector512.Create(FlushThreshold);
                for (int i = 0; i < padded; i += Lanes)
                {
                    var a = Vector512.LoadUnsafe(ref x, (nuint)i); var b = Vector512.LoadUnsafe(ref x, (nuint)(padded + i));
                    var keep = ~(Vector512.LessThan(Vector512.Abs(a), threshold) & Vector512.LessThan(Vector512.Abs(b), threshold));
                    (a & keep).StoreUnsafe(ref x, (nuint)i);
                    (b & keep).StoreUnsafe(ref x, (nuint)(padded + i));
                }
                break;
            case SimdPath.Vector: FlushPairs<PortableVector>(ref x, ref Unsafe.Add(ref x, padded), padded, FlushThreshold); break;
            default: FlushPairs<ScalarVector>(ref x, ref Unsafe.Add(ref x, padded), padded, FlushThreshold); break;
        }
        double stretch = 0;
        for (int i = 0; i < padded; i++) stretch += (double)_state[i] * _state[i];
        if (_coefficients.Table.Tension != 0) _stretch = (float)stretch;
    }

    /// <summary>Sets x[i] and d[i] to zero wherever both are below <paramref name="threshold"/> in magnitude, i &lt; n.</summary>
    internal static void FlushPairs<T>(ref float x, ref float d, int n, float threshold) where T : struct, IFloatVector<T>
    {
        for (nuint i = 0; i < (nuint)n; i += (nuint)T.Count)
        {
            var a = T.Load(ref x, i);
            var b = T.Load(ref d, i);
            T.FlushBoth(ref a, ref b, threshold);
            T.Store(a, ref x, i);
            T.Store(b, ref d, i);
        }
    }

    private void Dispatch<TTension, TForced, TVelocity>(Span<float> output)
        where TTension : struct, IFlag where TForced : struct, IFlag where TVelocity : struct, IFlag
    {
        switch (Simd.Path)
        {
            case SimdPath.Vector512: Render<TTension, TForced, TVelocity>(output); break;
            case SimdPath.Vector: Render<PortableVector, TTension, TForced, TVelocity>(output); break;
            default: Render<ScalarVector, TTension, TForced, TVelocity>(output); break;
        }
    }

    // The sample loop on narrower vectors: the same update, the tension sum reduced with a horizontal sum.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private void Render<T, TTension, TForced, TVelocity>(Span<float> output)
        where T : struct, IFloatVector<T> where TTension : struct, IFlag where TForced : struct, IFlag where TVelocity : struct, IFlag
    {
        var coefficients = _coefficients;
        int padded = coefficients.Padded, forceIndex = _forceIndex;
        ref float c = ref MemoryMarshal.GetArrayDataReference(coefficients.Interleaved);
        ref float x = ref MemoryMarshal.GetArrayDataReference(_state);
        ref float d = ref Unsafe.Add(ref x, padded);
        ref float fw = ref MemoryMarshal.GetArrayDataReference(_forceWeights);
        ref float force = ref TForced.Set ? ref MemoryMarshal.GetArrayDataReference(_force!.Force!) : ref fw;
        float stretch = _stretch;
        nuint pickup = TVelocity.Set ? 5u : 4u;
        for (int n = 0; n < output.Length; n++)
        {
            var f = TForced.Set ? T.Broadcast(Unsafe.Add(ref force, forceIndex++)) : default;
            var s = T.Broadcast(stretch);
            T acc = T.Broadcast(0f), y = T.Broadcast(0f);
            for (int i = 0; i < padded; i += T.Count)
            {
                nuint k = (nuint)(i / Lanes * Lanes * K + i % Lanes);
                var next = ConservativeUpdate.Step<T, TTension, TForced, TVelocity>(ref c, k, pickup, ref x, ref d, ref fw, (nuint)i, s, f, ref y);
                if (TTension.Set) acc = T.Fma(next, next, acc);
            }
            if (TTension.Set) stretch = T.Sum(acc);
            output[n] = T.Sum(y);
        }
        _forceIndex = forceIndex;
        _stretch = stretch;
    }

    // The sample loop: one pass over the modes per sample (see remarks), with no calls inside so that the JIT keeps the
    // running sums in registers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private void Render<TTension, TForced, TVelocity>(Span<float> output)
        where TTension : struct, IFlag where TForced : struct, IFlag where TVelocity : struct, IFlag
    {
        var coefficients = _coefficients;
        int padded = coefficients.Padded, forceIndex = _forceIndex;
        ref float c = ref MemoryMarshal.GetArrayDataReference(coefficients.Interleaved);
        ref float x = ref MemoryMarshal.GetArrayDataReference(_state);
        ref float d = ref Unsafe.Add(ref x, padded);
        ref float fw = ref MemoryMarshal.GetArrayDataReference(_forceWeights);
        ref float force = ref TForced.Set ? ref MemoryMarshal.GetArrayDataReference(_force!.Force!) : ref fw;
        var s = Vector512.Create(_stretch);
        ref float o = ref MemoryMarshal.GetReference(output);
        for (int n = 0; n < output.Length; n++)
        {
            var f = TForced.Set ? Vector512.Create(Unsafe.Add(ref force, forceIndex++)) : default;
            Vector512<float> acc0 = default, acc1 = default, y0 = default, y1 = default;
            for (int i = 0; i < padded; i += 2 * Lanes)
            {
                nuint i0 = (nuint)i, i1 = i0 + Lanes;
                var n0 = ConservativeUpdate.Step<TTension, TForced, TVelocity>(ref c, i0 * K, TVelocity.Set ? 5u : 4u, ref x, ref d, ref fw, i0, s, f, ref y0);
                var n1 = ConservativeUpdate.Step<TTension, TForced, TVelocity>(ref c, i1 * K, TVelocity.Set ? 5u : 4u, ref x, ref d, ref fw, i1, s, f, ref y1);
                if (TTension.Set)
                {
                    acc0 = Vector512.FusedMultiplyAdd(n0, n0, acc0);
                    acc1 = Vector512.FusedMultiplyAdd(n1, n1, acc1);
                }
            }
            if (TTension.Set) s = AllSum(acc0 + acc1);
            Unsafe.Add(ref o, n) = Vector512.Sum(y0 + y1);
        }
        _forceIndex = forceIndex;
        _stretch = s.ToScalar();
    }

    /// <summary>The sum of all lanes, in every lane (a butterfly: each lane adds the same pairs, so all lanes agree
    /// bit for bit); no broadcast is needed before the next step uses it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> AllSum(Vector512<float> v)
    {
        if (Avx512F.IsSupported)
        {
            v += Avx512F.Permute4x32(v, 0b10_11_00_01);
            v += Avx512F.Permute4x32(v, 0b01_00_11_10);
            v += Avx512F.Shuffle4x128(v, v, 0b10_11_00_01);
            return v + Avx512F.Shuffle4x128(v, v, 0b01_00_11_10);
        }
        return Vector512.Create(Vector512.Sum(v));
    }
}
