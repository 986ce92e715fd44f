using PhysMod.Physics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Modal;

namespace PhysMod.Realtime.Models;

/// <summary>Turns an initial-shape excitation (pluck, gaussian, random) into a field frame on the model's grid, exactly as the
/// datasets' frame 0 is made: the modal initial state reconstructed at the grid points.</summary>
/// <remarks>(q_0, q̇_0) from the excitation's modal projection, then w(x_j) = Σ_μ R_jμ q_μ and ẇ(x_j) = Σ_μ R_jμ q̇_μ with
/// R_jμ = K_μ(x_j)/‖K_μ‖², so the frame holds only the modes the dataset's system has (a band-limited pluck).</remarks>
public static class GridInitialState
{
    /// <summary>The frame (W, 2) flattened: displacement (m) and velocity (m/s) per grid point.</summary>
    /// <exception cref="InvalidSettingException">The excitation is a force (it has no initial shape).</exception>
    public static float[] Project(Excitation excitation, ModalSystem system, int gridPoints)
    {
        ArgumentNullException.ThrowIfNull(excitation);
        ArgumentNullException.ThrowIfNull(system);
        if (excitation.ForceLocation is not null)
            throw new InvalidSettingException($"excitation '{excitation.Describe()}' is a force: a model voice starts from an initial shape (pluck, gaussian or random)");
        excitation.Validate(system.Basis);
        int modes = system.Modes;
        var q0 = new double[modes];
        var v0 = new double[modes];
        excitation.InitialState(system, q0, v0);
        var grid = system.Basis.Grid(gridPoints);
        var r = system.Basis.ReconstructionMatrix(grid);                                                // (W, modes)
        var frame = new float[grid.Length * 2];
        for (int j = 0; j < grid.Length; j++)
        {
            double w = 0, wDot = 0;
            for (int mu = 0; mu < modes; mu++)
            {
                w += r[j * modes + mu] * q0[mu];
                wDot += r[j * modes + mu] * v0[mu];
            }
            frame[2 * j] = (float)w;
            frame[2 * j + 1] = (float)wDot;
        }
        return frame;
    }
}
