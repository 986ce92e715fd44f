using PhysMod.Learning.Export;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Realtime;

namespace PhysMod.Cli;

/// <summary>The real-time voice of a trained run for <c>physmod render RUN</c>: the exported model (plain C#) started from the
/// chosen initial state, playing the pickup displacement at the dataset's frame rate; for a hybrid neural-ODE run
/// (<see cref="HybridVoices"/>) the learned string driven by its training burst or started from an initial shape.</summary>
public static class RunVoiceFactory
{
    /// <summary>Loads the voice of <paramref name="runFolder"/> with the render settings (see <see cref="RunVoices.Load"/>).</summary>
    public static IVoice Create(string runFolder, RenderSettings settings)
    {
        if (settings.Signal != PickupSignal.Displacement)
            throw new InvalidSettingException("--signal velocity: a trained model's voice plays the pickup displacement (leave --signal out or use displacement)");
        if (HybridVoices.IsNodeRun(runFolder))
        {
            var hybrid = HybridVoices.Load(runFolder, settings.Excitation);
            if (settings.SampleRate is { } fs && Math.Abs(fs - hybrid.SampleRate) > 1e-9 * fs)
                throw new InvalidSettingException($"--fs {fs:G6}: a hybrid model steps at its training rate, {hybrid.SampleRate:G6} Hz; leave --fs out");
            return hybrid;
        }
        var voice = RunVoices.Load(runFolder, new RunVoiceOptions { Excite = settings.Excitation });
        if (settings.SampleRate is { } rate && Math.Abs(rate - voice.SampleRate) > 1e-9 * rate)
            throw new InvalidSettingException($"--fs {rate:G6}: a trained model plays one frame per sample at its dataset's frame rate, {voice.SampleRate:G6} Hz; leave --fs out");
        return voice;
    }

    /// <summary>For <c>compare</c>: the run's real-time voice when its family exports one (<see cref="VoiceExport.Families"/>),
    /// started from test trajectory 0; null otherwise (the comparison then times the model's one-step rollout).</summary>
    public static IVoice? ForComparison(TrainedRun run) =>
        VoiceExport.Families.Contains(run.Config.Family) ? RunVoices.Load(run.Directory.Folder) : null;
}
