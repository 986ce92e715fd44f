using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics;

namespace PhysMod.Realtime;

/// <summary>Sixteen simulator voices stepped together, one per float32 SIMD lane (polyphony): each lane has its own
/// modal system (e.g. its own note), excitation and pickup; <see cref="Process(Span{float})"/> outputs their sum.</summary>
/// <remarks>
/// Per lane the update and read-out are those of <see cref="ModalVoice"/> (conservative scheme, increment form). Layout
/// (modes, lanes): one <see cref="Vector512{T}"/> holds the same mode of all 16 voices, so every operation is elementwise,
/// each voice's tension sum Sⁿ = Σ (xⁿ)² is a per-lane vertical sum, and there are no horizontal reductions on the way
/// from one step to the next (only the mix, once per sample). Lanes never interact: a lane's output does not depend on
/// the other lanes. Every lane must have the same number of modes and kind of basis; an unused lane is silent.
/// Changes (<see cref="Excite"/>, <see cref="SetSystem"/>) are prepared on the calling thread and take effect at the
/// start of the next <see cref="Process(Span{float})"/> call; <see cref="Process(Span{float})"/> allocates nothing and takes no locks.
/// </remarks>
public sealed class ModalVoiceBank : IVoice
{
    /// <summary>Voices per bank (float32 lanes of a 512-bit vector).</summary>
    public const int Lanes = 16;

    private const int FlushInterval = 1024;
    private const float FlushThreshold = 1e-15f;
    private readonly int _modes, _count, _k;              // modes; rounded up to even; coefficients per mode
    private readonly float[] _coefficients;              // (count, k, lanes)
    private readonly float[] _x, _d, _forceWeights;      // (count, lanes)
    private readonly float[] _forceNow = new float[Lanes];
    private readonly VoiceCoefficients?[] _current = new VoiceCoefficients?[Lanes];
    private readonly VoiceCoefficients?[] _latest = new VoiceCoefficients?[Lanes];
    private readonly VoiceCoefficients?[] _pendingCoefficients = new VoiceCoefficients?[Lanes];
    private readonly PreparedExcitation?[] _pendingExcitation = new PreparedExcitation?[Lanes];
    private readonly PreparedExcitation?[] _force = new PreparedExcitation?[Lanes];
    private readonly int[] _forceIndex = new int[Lanes];
    private readonly Type _basis;
    private Vector512<float> _stretch;
    private int _sinceFlush, _forcedLanes;
    private bool _tension;

    /// <summary>Creates a silent bank for systems with the mode count and basis kind of
    /// <paramref name="prototype"/>; lanes are given systems with <see cref="SetSystem"/>.</summary>
    public ModalVoiceBank(ModalSystem prototype, double sampleRate, PickupSignal signal = PickupSignal.Velocity)
    {
        InvalidSettingException.RequirePositive("fs", sampleRate, "Hz");
        SampleRate = sampleRate;
        Signal = signal;
        _modes = prototype.Modes;
        _basis = prototype.Basis.GetType();
        _count = (_modes + 1) / 2 * 2;
        _k = signal == PickupSignal.Velocity ? 7 : 5;
        _coefficients = new float[_count * _k * Lanes];
        _x = new float[_count * Lanes]; _d = new float[_count * Lanes]; _forceWeights = new float[_count * Lanes];
    }

    /// <inheritdoc />
    public double SampleRate { get; }

    /// <summary>Which signal each lane outputs.</summary>
    public PickupSignal Signal { get; }

    /// <summary>Modes per voice.</summary>
    public int Modes => _modes;

    /// <summary>Gives lane <paramref name="lane"/> the system <paramref name="system"/> read at <paramref name="pickup"/>
    /// (the motion of the lane is kept, mode by mode). Any thread; takes effect at the next block.</summary>
    public void SetSystem(int lane, ModalSystem system, Location pickup)
    {
        CheckLane(lane);
        if (system.Modes != _modes || system.Basis.GetType() != _basis)
            throw new InvalidSettingException($"bank lanes need {_modes} modes of {_basis.Name}, not {system.Modes} modes of {system.Basis.GetType().Name}");
        var coefficients = new VoiceCoefficients(system, SampleRate, pickup);
        Volatile.Write(ref _latest[lane], coefficients);
        Volatile.Write(ref _pendingCoefficients[lane], coefficients);
    }

    /// <summary>Schedules an excitation of lane <paramref name="lane"/> (see <see cref="IExcitableVoice"/>); the lane must
    /// have a system. Any thread; takes effect at the next block.</summary>
    public void Excite(int lane, Excitation excitation)
    {
        CheckLane(lane);
        var table = Volatile.Read(ref _latest[lane])?.Table
                    ?? throw new InvalidOperationException($"lane {lane} has no system: call SetSystem first");
        Volatile.Write(ref _pendingExcitation[lane], PreparedExcitation.Create(excitation, table, restart: false));
    }

    /// <inheritdoc />
    public void Reset()
    {
        Array.Clear(_x); Array.Clear(_d); Array.Clear(_coefficients); Array.Clear(_forceWeights);
        Array.Clear(_current); Array.Clear(_latest); Array.Clear(_pendingCoefficients); Array.Clear(_pendingExcitation);
        Array.Clear(_force); Array.Clear(_forceIndex);
        _stretch = default; _sinceFlush = 0; _forcedLanes = 0; _tension = false;
    }

    /// <inheritdoc />
    public void Process(Span<float> output) => Process(output, default);

    /// <summary>Renders the mix into <paramref name="mix"/> and, when <paramref name="lanes"/> is not empty, every voice
    /// separately into it. Shape of <paramref name="lanes"/>: (samples, 16).</summary>
    public void Process(Span<float> mix, Span<float> lanes)
    {
        if (!lanes.IsEmpty && lanes.Length != mix.Length * Lanes)
            throw new ArgumentException($"per-lane output needs {mix.Length}·{Lanes} samples", nameof(lanes));
        ApplyPending();
        while (!mix.IsEmpty)
        {
            int chunk = Math.Min(mix.Length, FlushInterval - _sinceFlush);
            bool forced = _forcedLanes != 0;
            if (forced) chunk = 1;            // per-lane force samples are gathered sample by sample
            bool perLane = !lanes.IsEmpty, velocity = Signal == PickupSignal.Velocity;
            if (forced) GatherForce();
            var m = mix[..chunk];
            var l = perLane ? lanes[..(chunk * Lanes)] : default;
            switch ((_tension, forced, velocity))
            {
                case (true, false, true): Dispatch<On, Off, On>(m, l); break;
                case (true, false, false): Dispatch<On, Off, Off>(m, l); break;
                case (false, false, true): Dispatch<Off, Off, On>(m, l); break;
                case (false, false, false): Dispatch<Off, Off, Off>(m, l); break;
                case (true, true, true): Dispatch<On, On, On>(m, l); break;
                case (true, true, false): Dispatch<On, On, Off>(m, l); break;
                case (false, true, true): Dispatch<Off, On, On>(m, l); break;
                case (false, true, false): Dispatch<Off, On, Off>(m, l); break;
            }
            mix = mix[chunk..];
            if (perLane) lanes = lanes[(chunk * Lanes)..];
            if ((_sinceFlush += chunk) >= FlushInterval)
            {
                Flush();
                _sinceFlush = 0;
            }
        }
    }

    private void GatherForce()
    {
        for (int lane = 0; lane < Lanes; lane++)
        {
            var f = _force[lane];
            if (f is null) { _forceNow[lane] = 0; continue; }
            _forceNow[lane] = f.Force![_forceIndex[lane]++];
            if (_forceIndex[lane] >= f.Force.Length) { _force[lane] = null; _forcedLanes--; }
        }
    }

    private void ApplyPending()
    {
        bool changed = false;
        for (int lane = 0; lane < Lanes; lane++)
        {
            if (Volatile.Read(ref _pendingCoefficients[lane]) is not null && Interlocked.Exchange(ref _pendingCoefficients[lane], null) is { } c)
            {
                ApplyCoefficients(lane, c);
                changed = true;
            }
            if (Volatile.Read(ref _pendingExcitation[lane]) is not null && Interlocked.Exchange(ref _pendingExcitation[lane], null) is { } e)
            {
                ApplyExcitation(lane, e);
                changed = true;
            }
        }
        if (!changed) return;
        _tension = false;
        for (int lane = 0; lane < Lanes; lane++) _tension |= _current[lane] is { Table.Tension: not 0 };
        RecomputeStretch();
    }

    private void ApplyCoefficients(int lane, VoiceCoefficients c)
    {
        var table = c.Table;
        var old = _current[lane]?.Table;
        // −e, −g, −2m, m, then w (displacement) or w(α − β − γ), wα, wβ (velocity): rows of VoiceCoefficients
        ReadOnlySpan<int> rows = Signal == PickupSignal.Velocity ? [0, 1, 2, 3, 5, 6, 7] : [0, 1, 2, 3, 4];
        for (int i = 0; i < _modes; i++)
        {
            int at = i * _k * Lanes + lane;
            for (int j = 0; j < _k; j++) _coefficients[at + j * Lanes] = c.Rows[rows[j]][i];
            float ratio = !table.Active[i] ? 0f : old is null ? 1f : (float)(table.Scale[i] / old.Scale[i]);
            _x[i * Lanes + lane] *= ratio;
            _d[i * Lanes + lane] *= ratio;
        }
        _current[lane] = c;
        if (_force[lane] is { } f) SetForceWeights(lane, f);
    }

    private void ApplyExcitation(int lane, PreparedExcitation e)
    {
        if (e.Restart)
            for (int i = 0; i < _modes; i++)
            {
                _x[i * Lanes + lane] = e.X0[i];
                _d[i * Lanes + lane] = e.D0[i];
            }
        if (e.Force is not null)
        {
            if (_force[lane] is null) _forcedLanes++;
            _force[lane] = e;
            _forceIndex[lane] = 0;
            SetForceWeights(lane, e);
        }
        else if (e.Restart && _force[lane] is not null)
        {
            _force[lane] = null;
            _forcedLanes--;
        }
    }

    private void SetForceWeights(int lane, PreparedExcitation e)
    {
        var gain = _current[lane]!.ForceGain;
        for (int i = 0; i < _modes; i++) _forceWeights[i * Lanes + lane] = gain[i] * e.ForceShape[i];
    }

    private void RecomputeStretch()
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(_x);
        if (Simd.Path != SimdPath.Vector512)
        {
            Span<float> lanes = stackalloc float[Lanes];
            for (int lane = 0; lane < Lanes; lane++)
            {
                float sum = 0;
                for (int i = 0; i < _count; i++) sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, i * Lanes + lane), Unsafe.Add(ref x, i * Lanes + lane), sum);
                lanes[lane] = sum;
            }
            _stretch = _tension ? Vector512.Create((ReadOnlySpan<float>)lanes) : default;
            return;
        }
        var s = Vector512<float>.Zero;
        for (int i = 0; i < _count; i++)
        {
            var xi = Vector512.LoadUnsafe(ref x, (nuint)(i * Lanes));
            s = Vector512.FusedMultiplyAdd(xi, xi, s);
        }
        _stretch = _tension ? s : default;
    }

    private void Flush()
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(_x);
        ref float d = ref MemoryMarshal.GetArrayDataReference(_d);
        if (Simd.Path != SimdPath.Vector512)
        {
            if (Simd.Path == SimdPath.Vector) ModalVoice.FlushPairs<PortableVector>(ref x, ref d, _count * Lanes, FlushThreshold);
            else ModalVoice.FlushPairs<ScalarVector>(ref x, ref d, _count * Lanes, FlushThreshold);
            RecomputeStretch();
            return;
        }
        var threshold = Vector512.Create(FlushThreshold);
        for (int i = 0; i < _count * Lanes; i += Lanes)
        {
            var a = Vector512.LoadUnsafe(ref x, (nuint)i); var b = Vector512.LoadUnsafe(ref d, (nuint)i);
            var keep = ~(Vector512.LessThan(Vector512.Abs(a), threshold) & Vector512.LessThan(Vector512.Abs(b), threshold));
            (a & keep).StoreUnsafe(ref x, (nuint)i);
            (b & keep).StoreUnsafe(ref d, (nuint)i);
        }
        RecomputeStretch();
    }

    private void Dispatch<TTension, TForced, TVelocity>(Span<float> mix, Span<float> lanes)
        where TTension : struct, IFlag where TForced : struct, IFlag where TVelocity : struct, IFlag
    {
        switch (Simd.Path)
        {
            case SimdPath.Vector512: Render<TTension, TForced, TVelocity>(mix, lanes); break;
            case SimdPath.Vector: Render<PortableVector, TTension, TForced, TVelocity>(mix, lanes); break;
            default: Render<ScalarVector, TTension, TForced, TVelocity>(mix, lanes); break;
        }
    }

    // Narrower vectors hold a group of the 16 voices: the voices are independent, so each group runs the whole block on its
    // own and adds its lanes to the mix.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private void Render<T, TTension, TForced, TVelocity>(Span<float> mix, Span<float> lanes)
        where T : struct, IFloatVector<T> where TTension : struct, IFlag where TForced : struct, IFlag where TVelocity : struct, IFlag
    {
        ref float c = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        ref float x = ref MemoryMarshal.GetArrayDataReference(_x);
        ref float d = ref MemoryMarshal.GetArrayDataReference(_d);
        ref float fw = ref MemoryMarshal.GetArrayDataReference(_forceWeights);
        ref float stretch = ref Unsafe.As<Vector512<float>, float>(ref _stretch);
        int count = _count;
        nuint k = (nuint)_k;
        bool perLane = !lanes.IsEmpty;
        mix.Clear();
        for (int group = 0; group < Lanes; group += T.Count)
        {
            var f = TForced.Set ? T.Load(ref MemoryMarshal.GetArrayDataReference(_forceNow), (nuint)group) : default;
            var s = T.Load(ref stretch, (nuint)group);
            for (int n = 0; n < mix.Length; n++)
            {
                T sum = T.Broadcast(0f), y = T.Broadcast(0f);
                for (int i = 0; i < count; i++)
                {
                    nuint at = (nuint)(i * Lanes + group), ki = (nuint)i * k * Lanes + (nuint)group;
                    var next = ConservativeUpdate.Step<T, TTension, TForced, TVelocity>(ref c, ki, 4, ref x, ref d, ref fw, at, s, f, ref y);
                    if (TTension.Set) sum = T.Fma(next, next, sum);
                }
                if (TTension.Set) s = sum;
                mix[n] += T.Sum(y);
                if (perLane) T.Store(y, ref MemoryMarshal.GetReference(lanes), (nuint)(n * Lanes + group));
            }
            T.Store(s, ref stretch, (nuint)group);
        }
    }

    // The sample loop: per sample one pass over the modes, two modes per turn with separate partial sums.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private void Render<TTension, TForced, TVelocity>(Span<float> mix, Span<float> lanes)
        where TTension : struct, IFlag where TForced : struct, IFlag where TVelocity : struct, IFlag
    {
        ref float c = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        ref float x = ref MemoryMarshal.GetArrayDataReference(_x);
        ref float d = ref MemoryMarshal.GetArrayDataReference(_d);
        ref float fw = ref MemoryMarshal.GetArrayDataReference(_forceWeights);
        var f = TForced.Set ? Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_forceNow)) : default;
        var s = _stretch;
        int count = _count;
        nuint k = (nuint)_k;
        bool perLane = !lanes.IsEmpty;
        for (int n = 0; n < mix.Length; n++)
        {
            Vector512<float> s0 = default, s1 = default, y0 = default, y1 = default;
            for (int i = 0; i < count; i += 2)
            {
                nuint at0 = (nuint)(i * Lanes), at1 = at0 + Lanes, k0 = (nuint)i * k * Lanes, k1 = k0 + k * Lanes;
                var n0 = ConservativeUpdate.Step<TTension, TForced, TVelocity>(ref c, k0, 4, ref x, ref d, ref fw, at0, s, f, ref y0);
                var n1 = ConservativeUpdate.Step<TTension, TForced, TVelocity>(ref c, k1, 4, ref x, ref d, ref fw, at1, s, f, ref y1);
                if (TTension.Set)
                {
                    s0 = Vector512.FusedMultiplyAdd(n0, n0, s0);
                    s1 = Vector512.FusedMultiplyAdd(n1, n1, s1);
                }
            }
            if (TTension.Set) s = s0 + s1;
            var y = y0 + y1;
            mix[n] = Vector512.Sum(y);
            if (perLane) y.StoreUnsafe(ref MemoryMarshal.GetReference(lanes), (nuint)(n * Lanes));
        }
        _stretch = s;
    }

    private static void CheckLane(int lane)
    {
        if ((uint)lane >= Lanes) throw new InvalidSettingException($"lane = {lane}: must be between 0 and {Lanes - 1}");
    }
}
