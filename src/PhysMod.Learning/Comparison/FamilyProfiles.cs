namespace PhysMod.Learning.Comparison;

/// <summary>The qualitative descriptions of every known method: the tutorial's closing table plus rows for the baselines and
/// recurrent operators PhysMod adds, looked up by family name.</summary>
/// <remarks>This is the only family-specific table of the comparison; everything measured comes from the registry's families.
/// A family that is not listed here gets a row built from its own one-line description.</remarks>
public static class FamilyProfiles
{
    /// <summary>Where the tutorial's rows come from.</summary>
    public const string Tutorial = "tutorial (ISMIR 2025), closing table";

    /// <summary>Where PhysMod's own rows come from.</summary>
    public const string PhysMod = "PhysMod (not in the tutorial's table)";

    /// <summary>Every row, in the tutorial's order, then PhysMod's additions.</summary>
    public static IReadOnlyList<FamilyProfile> All { get; } =
    [
        new("Neural ODE", "Learn vector field", "Weak-Strong", "Continuous", "Flexible/hybrid", "Solver cost", Tutorial, ["node", "neural-ode", "hybrid"]),
        new("PINN", "PDE in loss", "Strong", "Continuous", "Inverse problems", "Hard optimisation", Tutorial, ["pinn"]),
        new("Neural Operator (FNO)", "Learn operator", "Weak", "Agnostic", "Discretisation invariant", "Computational cost", Tutorial, ["fno", "fno-ar"]),
        new("Koopman", "Linear in latent", "Weak", "Discrete", "Fast, interpretable", "Data and initialisation", Tutorial, ["koopman"]),
        new("DSSM", "Linear in latent (with non-linear blocks)", "Weak", "Continuous/Discrete", "Fast", "Large, black box", Tutorial, ["ssm"]),
        new("Recurrent Fourier (FRNN/FGRU)", "Recurrent cell with Fourier convolutions", "Weak", "Discrete", "Sample-by-sample field rollout", "Backpropagation through long rollouts", PhysMod, ["frnn", "fgru"]),
        new("DMD", "Least-squares linear map between frames", "None (linear)", "Discrete", "Closed form, instant fit", "Linear: no pitch glide", PhysMod, ["dmd"]),
        new("Modal DMD with energy", "Per-mode linear step modulated by one fitted quadratic energy", "Weak (fixed ends, sine modes)", "Discrete", "Closed form, instant fit; pitch glide", "One global energy: fixed-end fields only", PhysMod, ["modal-dmd"]),
    ];

    /// <summary>The row describing <paramref name="family"/>, or null when no row names it.</summary>
    public static FamilyProfile? Find(string family) => All.FirstOrDefault(p => p.Families.Contains(family, StringComparer.Ordinal));

    /// <summary>The row describing a family, or one built from its description when no row names it.</summary>
    public static FamilyProfile For(string family, string description) =>
        Find(family) ?? new FamilyProfile(family, description, "—", "—", "—", "—", "the family's own description", [family]);
}
