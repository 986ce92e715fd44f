using PhysMod.Physics.Excitations;

namespace PhysMod.Realtime;

/// <summary>A voice that can be plucked, struck or pushed while it plays.</summary>
/// <remarks>
/// <see cref="Excite"/> may be called from any thread: it prepares the excitation on the calling thread (where it may
/// allocate) and hands it to the audio thread without locks; it takes effect at the start of the next
/// <see cref="IVoice.Process"/> call. An excitation with an initial shape (pluck, gaussian, random, state) restarts the
/// voice from that shape; a point force (strike, push, force) is added on top of the current motion.
/// </remarks>
public interface IExcitableVoice : IVoice
{
    /// <summary>Schedules <paramref name="excitation"/> for the next block boundary.</summary>
    void Excite(Excitation excitation);
}
