using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Simulation;

/// <summary>Runs a modal system from an excitation with an integrator, reading out the pickup and the field.</summary>
public static class Simulator
{
    /// <summary>Runs one simulation in double precision. Throws <see cref="InvalidSettingException"/> on bad settings or divergence.</summary>
    public static SimulationResult Run(ModalSystem system, Excitation excitation, Integrator integrator, SimulationSettings settings,
        Action<double>? progress = null)
    {
        settings.Validate();
        excitation.Validate(system.Basis);
        system.Basis.ValidateInside("pickup", settings.Pickup);
        integrator.CheckStable(system, settings.SampleRate, settings.Oversample);

        int modes = system.Modes, frames = settings.Frames, m = settings.Oversample;
        double dt = 1 / (settings.SampleRate * m);
        var q0 = new double[modes]; var v0 = new double[modes];
        excitation.InitialState(system, q0, v0);

        double[]? forceWeights = null;
        if (excitation.ForceLocation is { } at)
        {
            forceWeights = new double[modes];
            system.Basis.ShapesAt(at, forceWeights);
            for (int i = 0; i < modes; i++) forceWeights[i] *= system.InputScale;
        }
        var stepper = integrator.CreateStepper<double>(system, dt, forceWeights is not null);
        stepper.SetPickup(system.Basis.DisplacementWeights(settings.Pickup));

        Location[] grid = settings.GridPoints > 0 ? system.Basis.Grid(settings.GridPoints) : [];
        int fieldFrames = settings.StoredFieldFrames, points = grid.Length;
        var reconstruction = new FieldReadout(points > 0 ? system.Basis.ReconstructionMatrix(grid) : [], points, modes);
        var field = new float[(long)fieldFrames * points * 2];
        var displacement = new double[frames]; var velocity = new double[frames];

        SetForce(stepper, forceWeights, excitation, 0);
        stepper.Start(q0, v0);
        Integrate(stepper, forceWeights, excitation, integrator, settings, displacement, velocity, field, reconstruction, points, progress);
        progress?.Invoke(1);
        return new SimulationResult(settings.SampleRate, displacement, velocity, grid, fieldFrames, field);
    }

    // The frame loop: one call per simulation, so it is compiled fully optimised at once rather than run as tier-0 code
    // (short simulations, as in datasets, would otherwise finish before the JIT promotes it).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Integrate(ModalStepper<double> stepper, double[]? forceWeights, Excitation excitation, Integrator integrator,
        SimulationSettings settings, double[] displacement, double[] velocity, float[] field, FieldReadout reconstruction, int points,
        Action<double>? progress)
    {
        int frames = settings.Frames, m = settings.Oversample, fieldFrames = settings.StoredFieldFrames;
        double dt = 1 / (settings.SampleRate * m);
        int step = 0;
        // Unforced, the frames after the stored field need only the pickup: the stepper renders them in blocks.
        int stepwise = forceWeights is null ? Math.Max(1, fieldFrames) : frames;
        for (int n = 0; n < Math.Min(stepwise, frames); n++)
        {
            if (n > 0)
            {
                for (int j = 0; j < m; j++)
                {
                    step++;
                    if (forceWeights is not null) SetForce(stepper, forceWeights, excitation, step * dt);
                    stepper.Advance();
                }
            }
            if (n < fieldFrames) reconstruction.Write(field.AsSpan(n * points * 2, points * 2), stepper.Displacement, stepper.Velocity);
            double d = stepper.PickupDisplacement, v = stepper.PickupVelocity;
            displacement[n] = d;
            velocity[n] = v;
            if (!double.IsFinite(d) || !double.IsFinite(v)) throw Diverged(n, settings, integrator);
            if (progress is not null && (n & 0xFFFF) == 0) progress((double)n / frames);
        }
        for (int n = stepwise; n < frames; n += RenderBlock)
        {
            int size = Math.Min(RenderBlock, frames - n);
            var d = displacement.AsSpan(n, size); var v = velocity.AsSpan(n, size);
            stepper.Render(d, v, m);
            if (!double.IsFinite(Sum(d) + Sum(v)))      // NaN or infinity sticks in a sum (or the sum overflowed: look)
            {
                int bad = n;
                while (bad < n + size && double.IsFinite(displacement[bad]) && double.IsFinite(velocity[bad])) bad++;
                if (bad < n + size) throw Diverged(bad, settings, integrator);
            }
            progress?.Invoke((double)(n + size) / frames);
        }
    }

    private const int RenderBlock = 4096;     // frames per block render: long enough to amortise the call, short for progress

    private static double Sum(ReadOnlySpan<double> x) => System.Numerics.Tensors.TensorPrimitives.Sum(x);

    private static InvalidSettingException Diverged(int frame, SimulationSettings settings, Integrator integrator) => new(
        $"simulation diverged at t = {frame / settings.SampleRate:G6} s (frame {frame}) with integrator {integrator.Name}: " +
        "use --integrator conservative, a larger --oversample or a smaller amplitude");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SetForce<T>(ModalStepper<T> stepper, double[]? weights, Excitation excitation, double time)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (weights is null) return;
        double f = excitation.ForceAt(time);
        var target = stepper.NextForce;
        for (int i = 0; i < weights.Length; i++) target[i] = T.CreateTruncating(weights[i] * f);
    }

    // w(x_j) = Σ_μ R_jμ q_μ and ẇ(x_j) = Σ_μ R_jμ q̇_μ on the grid, with R (points, modes) stored transposed and padded
    // so that a block of grid points is accumulated in registers over the modes.
    private sealed class FieldReadout
    {
        private const int Block = 4;       // SIMD vectors of grid points per block
        private readonly double[] _transposed, _w, _wDot;   // (modes, padded points); (padded points) ×2
        private readonly int _points, _modes, _padded;

        public FieldReadout(double[] reconstruction, int points, int modes)
        {
            int unit = Block * Vector<double>.Count;
            _points = points; _modes = modes; _padded = (points + unit - 1) / unit * unit;
            _transposed = new double[modes * _padded];
            for (int j = 0; j < points; j++)
                for (int mu = 0; mu < modes; mu++) _transposed[mu * _padded + j] = reconstruction[j * modes + mu];
            _w = new double[_padded]; _wDot = new double[_padded];
        }

        // One frame into (points, 2) floats: displacement and velocity per grid point.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Write(Span<float> frame, ReadOnlySpan<double> q, ReadOnlySpan<double> v)
        {
            if (q.Length != _modes || v.Length != _modes || frame.Length != 2 * _points) throw new ArgumentException("field frame shapes disagree");
            ref double r = ref MemoryMarshal.GetArrayDataReference(_transposed);
            ref double w = ref MemoryMarshal.GetArrayDataReference(_w), wDot = ref MemoryMarshal.GetArrayDataReference(_wDot);
            nuint width = (nuint)Vector<double>.Count, padded = (nuint)_padded;
            for (nuint j = 0; j < padded; j += Block * width)
            {
                Vector<double> w0 = default, w1 = default, w2 = default, w3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
                for (int mu = 0; mu < q.Length; mu++)
                {
                    var qm = new Vector<double>(q[mu]); var vm = new Vector<double>(v[mu]);
                    nuint row = (nuint)mu * padded + j;
                    var r0 = Vector.LoadUnsafe(ref r, row); var r1 = Vector.LoadUnsafe(ref r, row + width);
                    var r2 = Vector.LoadUnsafe(ref r, row + 2 * width); var r3 = Vector.LoadUnsafe(ref r, row + 3 * width);
                    w0 = Vector.MultiplyAddEstimate(r0, qm, w0); d0 = Vector.MultiplyAddEstimate(r0, vm, d0);
                    w1 = Vector.MultiplyAddEstimate(r1, qm, w1); d1 = Vector.MultiplyAddEstimate(r1, vm, d1);
                    w2 = Vector.MultiplyAddEstimate(r2, qm, w2); d2 = Vector.MultiplyAddEstimate(r2, vm, d2);
                    w3 = Vector.MultiplyAddEstimate(r3, qm, w3); d3 = Vector.MultiplyAddEstimate(r3, vm, d3);
                }
                w0.StoreUnsafe(ref w, j); w1.StoreUnsafe(ref w, j + width); w2.StoreUnsafe(ref w, j + 2 * width); w3.StoreUnsafe(ref w, j + 3 * width);
                d0.StoreUnsafe(ref wDot, j); d1.StoreUnsafe(ref wDot, j + width); d2.StoreUnsafe(ref wDot, j + 2 * width); d3.StoreUnsafe(ref wDot, j + 3 * width);
            }
            for (int j = 0; j < _points; j++)
            {
                frame[2 * j] = (float)_w[j];
                frame[2 * j + 1] = (float)_wDot[j];
            }
        }
    }
}
