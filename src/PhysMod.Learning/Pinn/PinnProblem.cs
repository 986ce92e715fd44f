namespace PhysMod.Learning.Pinn;

/// <summary>Which oscillator problem a PINN solves.</summary>
public enum PinnProblem
{
    /// <summary>Known σ₂ and ω₀: the network is fitted to the initial conditions and the ODE residual alone (no data).</summary>
    Forward,

    /// <summary>Unknown σ₂ and ω₀ learned together with the network from sparse data, the initial conditions and the residual.</summary>
    Inverse,
}
