namespace PhysMod.Physics;

/// <summary>A small, fast, platform-independent random generator (SplitMix64) so datasets are bit-identical everywhere.</summary>
public sealed class Rng(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A generator for stream <paramref name="index"/> of a seed: independent of how work is split or ordered.</summary>
    public static Rng ForStream(ulong seed, ulong index) => new(Mix(seed ^ Mix(index + 0x9E3779B97F4A7C15UL)));

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Log-uniform in [low, high), both &gt; 0.</summary>
    public double LogUniform(double low, double high) => Math.Exp(Uniform(Math.Log(low), Math.Log(high)));

    /// <summary>Standard normal by the Box–Muller transform.</summary>
    public double NextGaussian()
    {
        double u1 = 1 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
