using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>A SIMD evaluation of a system's nonlinear modal force in precision T, on padded arrays.</summary>
/// <remarks>Tension modulation: f = c λ q S, S = Σ λ q²; sinh: f = g sinh(q). Pad modes have λ = 0 and stay inert.</remarks>
public sealed class NonlinearKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _lambda = [];
    private readonly T _coefficient;
    private readonly bool _sinh;

    private NonlinearKernel(T[] lambda, T coefficient, bool sinh)
    {
        _lambda = lambda; _coefficient = coefficient; _sinh = sinh;
    }

    /// <summary>The kernel for a system's nonlinearity, or null for a linear system.</summary>
    public static NonlinearKernel<T>? Create(ModalNonlinearity? nonlinearity, int padded)
    {
        switch (nonlinearity)
        {
            case null: return null;
            case TensionModulation tm:
                var lambda = AlignedArrays.New<T>(padded);
                for (int i = 0; i < tm.Lambda.Length; i++) lambda[i] = T.CreateTruncating(tm.Lambda[i]);
                return new NonlinearKernel<T>(lambda, T.CreateTruncating(tm.Coefficient), false);
            case SinhForce sinh:
                return new NonlinearKernel<T>(new T[padded], T.CreateTruncating(sinh.Strength), true);
            default:
                throw new NotSupportedException($"nonlinearity {nonlinearity.GetType().Name} has no SIMD kernel");
        }
    }

    /// <summary>True for tension modulation (the form the conservative scheme handles).</summary>
    public bool IsTensionModulation => !_sinh;

    /// <summary>The tension-modulation strength c (or sinh strength g).</summary>
    public T Coefficient => _coefficient;

    /// <summary>λ padded with zeros.</summary>
    public T[] Lambda => _lambda;

    /// <summary>S = Σ λ q² over padded arrays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public T Stretch(T[] q)
    {
        if (q.Length != _lambda.Length) throw new ArgumentException($"padded array of length {q.Length} ≠ {_lambda.Length}", nameof(q));
        ref T l = ref MemoryMarshal.GetArrayDataReference(_lambda), x = ref MemoryMarshal.GetArrayDataReference(q);
        var acc = Vector<T>.Zero;
        for (nuint i = 0, n = (nuint)q.Length; i < n; i += (nuint)Vector<T>.Count)
        {
            var qi = Vector.LoadUnsafe(ref x, i);
            acc += Vector.LoadUnsafe(ref l, i) * qi * qi;
        }
        return Vector.Sum(acc);
    }

    /// <summary>Writes f_nl(q) into <paramref name="force"/> (padded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(T[] q, T[] force)
    {
        if (_sinh)
        {
            for (int i = 0; i < q.Length; i++) force[i] = _coefficient * T.Sinh(q[i]);
            return;
        }
        var cs = new Vector<T>(_coefficient * Stretch(q));
        if (force.Length != q.Length) throw new ArgumentException($"padded array of length {force.Length} ≠ {q.Length}", nameof(force));
        ref T l = ref MemoryMarshal.GetArrayDataReference(_lambda), x = ref MemoryMarshal.GetArrayDataReference(q), f = ref MemoryMarshal.GetArrayDataReference(force);
        for (nuint i = 0, n = (nuint)q.Length; i < n; i += (nuint)Vector<T>.Count)
            (cs * Vector.LoadUnsafe(ref l, i) * Vector.LoadUnsafe(ref x, i)).StoreUnsafe(ref f, i);
    }
}
