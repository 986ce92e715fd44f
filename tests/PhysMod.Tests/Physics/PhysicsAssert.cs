using PhysMod.Physics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;

namespace PhysMod.Tests.Physics;

/// <summary>Error measures and small drivers shared by the physics tests.</summary>
internal static class PhysicsAssert
{
    /// <summary>max |actual − expected| / max |expected| over the first <paramref name="count"/> samples (all when −1).</summary>
    public static double RelativeMaxError(IReadOnlyList<double> actual, IReadOnlyList<double> expected, int count = -1)
    {
        if (count < 0) count = expected.Count;
        Assert.True(actual.Count >= count && expected.Count >= count, $"need {count} samples, got {actual.Count} and {expected.Count}");
        double error = 0, scale = 0;
        for (int i = 0; i < count; i++)
        {
            Assert.True(double.IsFinite(actual[i]), $"sample {i} is {actual[i]}");
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        Assert.True(scale > 0, "the expected signal is identically zero");
        return error / scale;
    }

    /// <summary>Asserts a relative error is at most <paramref name="tolerance"/>, naming what was compared.</summary>
    public static void Within(double relativeError, double tolerance, string what) =>
        Assert.True(relativeError <= tolerance, $"{what}: relative error {relativeError:E3} > {tolerance:E1}");

    /// <summary>Throws unless the action throws <see cref="InvalidSettingException"/>; returns its message.</summary>
    public static string Refuses(Action action)
    {
        var e = Assert.Throws<InvalidSettingException>(action);
        return e.Message;
    }

    /// <summary>Runs a stepper in precision T from the excitation's initial state, unforced, reading w(x) = Σ weights_μ q_μ
    /// and ẇ(x) every <paramref name="oversample"/> steps. Shapes: (frames).</summary>
    public static (double[] Displacement, double[] Velocity) RunStepper<T>(Integrator integrator, ModalSystem system,
        Excitation excitation, double sampleRate, int frames, Location pickup, int oversample = 1)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var q0 = new double[system.Modes]; var v0 = new double[system.Modes];
        excitation.InitialState(system, q0, v0);
        double[] weights = system.Basis.DisplacementWeights(pickup);
        var stepper = integrator.CreateStepper<T>(system, 1 / (sampleRate * oversample), forced: false);
        stepper.Start(q0.Select(T.CreateTruncating).ToArray(), v0.Select(T.CreateTruncating).ToArray());
        var w = new double[frames]; var wDot = new double[frames];
        for (int n = 0; n < frames; n++)
        {
            if (n > 0) for (int j = 0; j < oversample; j++) stepper.Advance();
            var q = stepper.Displacement; var v = stepper.Velocity;
            for (int i = 0; i < system.Modes; i++)
            {
                w[n] += weights[i] * double.CreateTruncating(q[i]);
                wDot[n] += weights[i] * double.CreateTruncating(v[i]);
            }
        }
        return (w, wDot);
    }
}
