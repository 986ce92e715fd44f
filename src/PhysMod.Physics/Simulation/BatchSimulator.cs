using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Simulation;

/// <summary>Runs up to <see cref="Lanes"/> unforced trajectories of one system and settings at once (one per SIMD lane,
/// <see cref="LaneBatchedStepper"/>) and writes their pickup signals and fields straight into dataset-layout buffers.</summary>
/// <remarks>
/// Equivalent to <see cref="Simulator.Run"/> per trajectory (same scheme, start-up and read-outs; sums over modes in a
/// different order, so results agree to round-off). Outputs, as floats, for trajectory t of a call:
/// pickup[(t·frames + n)·2 + {0, 1}] = w(x_r, tⁿ), ẇ(x_r, tⁿ) and field[((t·T + n)·W + j)·2 + {0, 1}] = w(x_j, tⁿ), ẇ(x_j, tⁿ)
/// for the T stored field frames, with w(x_j) = Σ_μ R_jμ q_μ (R the basis' reconstruction matrix, shape (W, modes)).
/// The instance holds only immutable data and can be shared by threads.
/// </remarks>
public sealed class BatchSimulator
{
    private readonly ModalSystem _system;
    private readonly Integrator _integrator;
    private readonly SimulationSettings _settings;
    private readonly double[] _pickupWeights, _reconstruction;   // (modes); (⌈W/4⌉, modes, 4): R in blocks of four points
    private readonly int _points;

    /// <summary>Trajectories per call.</summary>
    public const int Lanes = LaneBatchedStepper.Lanes;

    /// <summary>Prepares a batched run; check <see cref="Supports"/> first.</summary>
    public BatchSimulator(ModalSystem system, Integrator integrator, SimulationSettings settings)
    {
        if (!Supports(system, integrator)) throw new NotSupportedException($"batched simulation does not support integrator {integrator.Name} on this system");
        settings.Validate();
        system.Basis.ValidateInside("pickup", settings.Pickup);
        integrator.CheckStable(system, settings.SampleRate, settings.Oversample);
        _system = system; _integrator = integrator; _settings = settings;
        _pickupWeights = system.Basis.DisplacementWeights(settings.Pickup);
        var grid = settings.GridPoints > 0 ? system.Basis.Grid(settings.GridPoints) : [];
        _points = grid.Length;
        var r = _points > 0 ? system.Basis.ReconstructionMatrix(grid) : [];
        int modes = system.Modes;
        _reconstruction = new double[(_points + 3) / 4 * modes * 4];
        for (int j = 0; j < _points; j++)
            for (int mu = 0; mu < modes; mu++) _reconstruction[(j / 4 * modes + mu) * 4 + j % 4] = r[j * modes + mu];
    }

    /// <summary>True for the conservative and impulse-invariant schemes on linear or tension-modulated systems (unforced).</summary>
    public static bool Supports(ModalSystem system, Integrator integrator) => LaneBatchedStepper.Supports(integrator, system);

    /// <summary>Field grid points W.</summary>
    public int GridPoints => _points;

    /// <summary>Runs <paramref name="count"/> ≤ <see cref="Lanes"/> trajectories from their initial states and writes
    /// their outputs; lanes beyond <paramref name="count"/> run a zero trajectory. Throws <see cref="InvalidSettingException"/>
    /// on divergence.</summary>
    /// <param name="initialDisplacement">q⁰ per trajectory. Shape: (count, modes).</param>
    /// <param name="initialVelocity">q̇⁰ per trajectory. Shape: (count, modes).</param>
    /// <param name="count">Trajectories in this call.</param>
    /// <param name="pickup">Output. Shape: (count, frames, 2).</param>
    /// <param name="field">Output. Shape: (count, stored field frames, W, 2).</param>
    public void Run(ReadOnlySpan<double> initialDisplacement, ReadOnlySpan<double> initialVelocity, int count, Span<float> pickup, Span<float> field)
    {
        int modes = _system.Modes, frames = _settings.Frames, fieldFrames = _settings.StoredFieldFrames, oversample = _settings.Oversample;
        if (count < 1 || count > Lanes) throw new ArgumentOutOfRangeException(nameof(count), $"{count}: must be between 1 and {Lanes}");
        if (initialDisplacement.Length != count * modes || initialVelocity.Length != count * modes)
            throw new ArgumentException($"initial states must have shape ({count}, {modes})");
        if (pickup.Length != count * frames * 2) throw new ArgumentException($"pickup must have shape ({count}, {frames}, 2)", nameof(pickup));
        if (field.Length != (long)count * fieldFrames * _points * 2) throw new ArgumentException($"field must have shape ({count}, {fieldFrames}, {_points}, 2)", nameof(field));

        var stepper = new LaneBatchedStepper(_system, 1 / (_settings.SampleRate * oversample), _integrator, _pickupWeights);
        var q0 = new double[modes * Lanes]; var v0 = new double[modes * Lanes];   // (modes, lanes)
        for (int t = 0; t < count; t++)
            for (int i = 0; i < modes; i++)
            {
                q0[i * Lanes + t] = initialDisplacement[t * modes + i];
                v0[i * Lanes + t] = initialVelocity[t * modes + i];
            }
        var velocity = new double[modes * Lanes];
        var start = stepper.Start(q0, v0);
        WritePickup(pickup, count, frames, 0, start.Displacement, start.Velocity);
        if (fieldFrames > 0) WriteField(field, count, fieldFrames, 0, q0, v0);
        if (Loop(stepper, start, pickup, field, count, velocity) is var frame and >= 0)
            throw new InvalidSettingException(
                $"simulation diverged by t = {frame / _settings.SampleRate:G6} s (frame {frame}) with integrator {_integrator.Name}: " +
                "use --integrator conservative, a larger --oversample or a smaller amplitude");
    }

    // The frame loop, compiled fully optimised from its first call (a dataset makes only a few). Returns −1, or a frame by
    // which the pickup of some lane has stopped being finite (checked every 1024 frames: x − x is NaN exactly for an
    // infinite or NaN x, and NaN sticks).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Loop(LaneBatchedStepper stepper, (Vector512<double>, Vector512<double>) start, Span<float> pickup, Span<float> field, int count, double[] velocity)
    {
        int frames = _settings.Frames, fieldFrames = _settings.StoredFieldFrames, oversample = _settings.Oversample;
        // pickup rows of four frames (d, v interleaved), stored transposed once complete
        var (d0, v0) = start;
        var finite = (d0 - d0) + (v0 - v0);
        Vector512<double> d1 = default, v1 = default, d2 = default, v2 = default;
        ref float o = ref MemoryMarshal.GetReference(pickup);
        for (int n = 1; n < frames; n++)
        {
            var (d, v) = stepper.Advance();
            for (int j = 1; j < oversample; j++) (d, v) = stepper.Advance();
            finite += (d - d) + (v - v);
            if ((n & 1023) == 0 && !Vector512.EqualsAll(finite, Vector512<double>.Zero)) return n;
            switch (n & 3)
            {
                case 0: (d0, v0) = (d, v); break;
                case 1: (d1, v1) = (d, v); break;
                case 2: (d2, v2) = (d, v); break;
                default: StoreTransposed(d0, v0, d1, v1, d2, v2, d, v, count, ref Unsafe.Add(ref o, (n - 3) * 2), frames * 2); break;
            }
            if (n < fieldFrames)
            {
                stepper.Velocity(velocity);
                WriteField(field, count, fieldFrames, n, stepper.Displacement, velocity);
            }
        }
        // the frames after the last complete row of four
        for (int n = frames / 4 * 4; n < frames; n++)
        {
            var (d, v) = (n & 3) switch { 0 => (d0, v0), 1 => (d1, v1), _ => (d2, v2) };
            WritePickup(pickup, count, frames, n, d, v);
        }
        return Vector512.EqualsAll(finite, Vector512<double>.Zero) ? -1 : frames - 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WritePickup(Span<float> pickup, int count, int frames, int n, Vector512<double> displacement, Vector512<double> velocity)
    {
        ref float o = ref MemoryMarshal.GetReference(pickup);
        for (int t = 0; t < count; t++)
        {
            ref float at = ref Unsafe.Add(ref o, (t * frames + n) * 2);
            at = (float)displacement.GetElement(t);
            Unsafe.Add(ref at, 1) = (float)velocity.GetElement(t);
        }
    }

    // w(x_j) = Σ_μ R_jμ q_μ and ẇ(x_j) = Σ_μ R_jμ q̇_μ for all lanes at once (four grid points per turn), summed over μ in
    // order with fused multiply–adds as Simulator's read-out does (a partial last block computes zero rows it does not store).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteField(Span<float> field, int count, int fieldFrames, int n, ReadOnlySpan<double> q, ReadOnlySpan<double> v)
    {
        int modes = _system.Modes, points = _points;
        ref double r = ref MemoryMarshal.GetArrayDataReference(_reconstruction);
        ref double rq = ref MemoryMarshal.GetReference(q), rv = ref MemoryMarshal.GetReference(v);
        ref float o = ref MemoryMarshal.GetReference(field);
        Span<double> lanes = stackalloc double[8 * Lanes];
        ref double out0 = ref MemoryMarshal.GetReference(lanes);
        for (int j = 0; j < points; j += 4)
        {
            int block = Math.Min(4, points - j);
            Vector512<double> w0 = default, w1 = default, w2 = default, w3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
            ref double rj = ref Unsafe.Add(ref r, j * modes);
            for (int mu = 0; mu < modes; mu++)
            {
                var qm = Vector512.LoadUnsafe(ref rq, (nuint)(mu * Lanes)); var vm = Vector512.LoadUnsafe(ref rv, (nuint)(mu * Lanes));
                ref double row = ref Unsafe.Add(ref rj, 4 * mu);
                var r0 = Vector512.Create(row); var r1 = Vector512.Create(Unsafe.Add(ref row, 1));
                var r2 = Vector512.Create(Unsafe.Add(ref row, 2)); var r3 = Vector512.Create(Unsafe.Add(ref row, 3));
                w0 = Vector512.MultiplyAddEstimate(r0, qm, w0); d0 = Vector512.MultiplyAddEstimate(r0, vm, d0);
                w1 = Vector512.MultiplyAddEstimate(r1, qm, w1); d1 = Vector512.MultiplyAddEstimate(r1, vm, d1);
                w2 = Vector512.MultiplyAddEstimate(r2, qm, w2); d2 = Vector512.MultiplyAddEstimate(r2, vm, d2);
                w3 = Vector512.MultiplyAddEstimate(r3, qm, w3); d3 = Vector512.MultiplyAddEstimate(r3, vm, d3);
            }
            if (block == 4)
            {
                // rows (w_j, ẇ_j, w_{j+1}, …) transposed: row t is trajectory t's four interleaved points, 32 contiguous bytes
                StoreTransposed(w0, d0, w1, d1, w2, d2, w3, d3, count, ref Unsafe.Add(ref o, (n * points + j) * 2), fieldFrames * points * 2);
                continue;
            }
            w0.StoreUnsafe(ref out0, 0); d0.StoreUnsafe(ref out0, Lanes); w1.StoreUnsafe(ref out0, 2 * Lanes); d1.StoreUnsafe(ref out0, 3 * Lanes);
            w2.StoreUnsafe(ref out0, 4 * Lanes); d2.StoreUnsafe(ref out0, 5 * Lanes); w3.StoreUnsafe(ref out0, 6 * Lanes); d3.StoreUnsafe(ref out0, 7 * Lanes);
            for (int t = 0; t < count; t++)
            {
                ref float at = ref Unsafe.Add(ref o, ((t * fieldFrames + n) * points + j) * 2);
                for (int b = 0; b < block; b++)
                {
                    Unsafe.Add(ref at, 2 * b) = (float)Unsafe.Add(ref out0, 2 * b * Lanes + t);
                    Unsafe.Add(ref at, 2 * b + 1) = (float)Unsafe.Add(ref out0, (2 * b + 1) * Lanes + t);
                }
            }
        }
    }

    // Writes column t of the 8×8 matrix with rows r0 … r7 (as floats) to destination + t·stride for t < count: the lanes of
    // the rows are trajectories, so each trajectory gets its eight values contiguously.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTransposed(Vector512<double> r0, Vector512<double> r1, Vector512<double> r2, Vector512<double> r3,
        Vector512<double> r4, Vector512<double> r5, Vector512<double> r6, Vector512<double> r7, int count, ref float destination, int stride)
    {
        if (Avx512F.IsSupported)
        {
            // pairs, then quadruples, then octets of rows gathered per column
            var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
            var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
            var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
            var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
            var evenPairs = Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13); var oddPairs = Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15);
            var u0 = Avx512F.PermuteVar8x64x2(t0, evenPairs, t2); var u2 = Avx512F.PermuteVar8x64x2(t0, oddPairs, t2);
            var u1 = Avx512F.PermuteVar8x64x2(t1, evenPairs, t3); var u3 = Avx512F.PermuteVar8x64x2(t1, oddPairs, t3);
            var u4 = Avx512F.PermuteVar8x64x2(t4, evenPairs, t6); var u6 = Avx512F.PermuteVar8x64x2(t4, oddPairs, t6);
            var u5 = Avx512F.PermuteVar8x64x2(t5, evenPairs, t7); var u7 = Avx512F.PermuteVar8x64x2(t5, oddPairs, t7);
            var low = Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11); var high = Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15);
            var c0 = Avx512F.PermuteVar8x64x2(u0, low, u4); var c4 = Avx512F.PermuteVar8x64x2(u0, high, u4);
            var c1 = Avx512F.PermuteVar8x64x2(u1, low, u5); var c5 = Avx512F.PermuteVar8x64x2(u1, high, u5);
            var c2 = Avx512F.PermuteVar8x64x2(u2, low, u6); var c6 = Avx512F.PermuteVar8x64x2(u2, high, u6);
            var c3 = Avx512F.PermuteVar8x64x2(u3, low, u7); var c7 = Avx512F.PermuteVar8x64x2(u3, high, u7);
            Avx512F.ConvertToVector256Single(c0).StoreUnsafe(ref destination);
            if (count > 1) Avx512F.ConvertToVector256Single(c1).StoreUnsafe(ref Unsafe.Add(ref destination, stride));
            if (count > 2) Avx512F.ConvertToVector256Single(c2).StoreUnsafe(ref Unsafe.Add(ref destination, 2 * stride));
            if (count > 3) Avx512F.ConvertToVector256Single(c3).StoreUnsafe(ref Unsafe.Add(ref destination, 3 * stride));
            if (count > 4) Avx512F.ConvertToVector256Single(c4).StoreUnsafe(ref Unsafe.Add(ref destination, 4 * stride));
            if (count > 5) Avx512F.ConvertToVector256Single(c5).StoreUnsafe(ref Unsafe.Add(ref destination, 5 * stride));
            if (count > 6) Avx512F.ConvertToVector256Single(c6).StoreUnsafe(ref Unsafe.Add(ref destination, 6 * stride));
            if (count > 7) Avx512F.ConvertToVector256Single(c7).StoreUnsafe(ref Unsafe.Add(ref destination, 7 * stride));
            return;
        }
        StoreTransposedScalar([r0, r1, r2, r3, r4, r5, r6, r7], count, ref destination, stride);
    }

    private static void StoreTransposedScalar(ReadOnlySpan<Vector512<double>> rows, int count, ref float destination, int stride)
    {
        for (int t = 0; t < count; t++)
            for (int k = 0; k < Lanes; k++) Unsafe.Add(ref destination, t * stride + k) = (float)rows[k].GetElement(t);
    }
}
