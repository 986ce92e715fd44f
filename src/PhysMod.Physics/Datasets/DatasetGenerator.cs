using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;

namespace PhysMod.Physics.Datasets;

/// <summary>Simulates a dataset (or one shard of it) on all cores.</summary>
/// <remarks>Trajectory k draws its excitation from its own random stream <c>Rng.ForStream(seed, k)</c> and writes only its own
/// slice of the output, so the result is bit-identical whatever the thread count, and shards concatenate into the whole.</remarks>
public static class DatasetGenerator
{
    /// <summary>Throws one clear line unless a dataset of <paramref name="total"/> trajectories is allowed (1 … 1 000 000).</summary>
    public static void CheckCount(int total)
    {
        if (total < 1 || total > 1_000_000) throw new InvalidSettingException($"count = {total}: must be between 1 and 1000000");
    }

    /// <summary>Generates trajectories [First, First + Count) of <paramref name="total"/> for the shard.</summary>
    /// <param name="config">The recipe.</param>
    /// <param name="total">Trajectories of the whole dataset.</param>
    /// <param name="seed">Seed of every trajectory's random stream.</param>
    /// <param name="shard">The part to make.</param>
    /// <param name="threads">Worker threads (0 = all cores); the output does not depend on it.</param>
    /// <param name="progress">Called with (finished, count) as trajectories complete.</param>
    /// <param name="reuse">An earlier result of the same recipe and shard size whose field and pickup arrays are overwritten
    /// instead of allocating new ones (repeated generation: fresh output memory costs a page fault per 4 KiB on first touch);
    /// the earlier result then shares, and so changes with, this one's data.</param>
    public static DatasetData Generate(DatasetConfig config, int total, ulong seed, DatasetShard shard, int threads = 0,
        Action<int, int>? progress = null, DatasetData? reuse = null)
    {
        CheckCount(total);
        if (shard.Of > total) throw new InvalidSettingException($"shard = {shard}: more shards ({shard.Of}) than trajectories ({total})");
        var physical = PhysicalSystem.Resolve(config.System, config.Preset, config.Overrides);
        var integrator = Integrator.Parse(config.Integrator);
        int modes = config.Modes > 0 ? config.Modes : physical.AutoModes(config.SampleRate * config.Oversample, config.GridPoints);
        var system = physical.Build(modes, config.TensionModulation, config.TensionCoefficient);
        var pickup = physical.FromFractions(config.PickupFractionX, config.PickupFractionY);
        var settings = new SimulationSettings(config.SampleRate, config.Duration, pickup, config.Oversample, config.GridPoints, config.FieldFrames).Validate();
        integrator.CheckStable(system, config.SampleRate, config.Oversample);
        foreach (var (name, range) in new[] { ("amplitude", config.Amplitude), ("x", config.PositionX), ("y", config.PositionY), ("width", config.Width), ("force_duration", config.ForceDuration) })
            range.Validate(name);

        int first = shard.First(total), count = shard.Count(total);
        int frames = settings.Frames, fieldFrames = settings.StoredFieldFrames;
        int points = config.GridPoints == 0 ? 0 : system.Basis.Grid(config.GridPoints).Length;
        // every element is written below (both paths write whole slices), so the runtime need not zero these
        int fieldLength = checked(count * fieldFrames * points * 2), pickupLength = checked(count * frames * 2);
        bool reusable = reuse is not null && reuse.Fields.Length == fieldLength && reuse.Pickup.Length == pickupLength;
        var fields = reusable ? reuse!.Fields : GC.AllocateUninitializedArray<float>(fieldLength);
        var pickupData = reusable ? reuse!.Pickup : GC.AllocateUninitializedArray<float>(pickupLength);
        var initial = new double[(long)count * modes * 2];
        var draws = new double[count * 5];

        // Validate the recipe once, on the first trajectory, so a bad range fails before any parallel work.
        Draw(config, physical, system, seed, first).Excitation.Validate(system.Basis);

        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        if (BatchSimulator.Supports(system, integrator))
        {
            // Unforced trajectories in lane groups of fixed global index blocks [g·L, (g + 1)·L), clipped to the shard; every
            // lane's arithmetic is its own, so the grouping changes nothing in the output.
            var batch = new BatchSimulator(system, integrator, settings);
            int lanes = BatchSimulator.Lanes, firstGroup = first / lanes, groups = (first + count - 1) / lanes - firstGroup + 1;
            Parallel.For(0, groups, options, group =>
            {
                int lo = Math.Max((firstGroup + group) * lanes, first), hi = Math.Min((firstGroup + group + 1) * lanes, first + count);
                int size = hi - lo, local = lo - first;
                var excitations = new Excitation[size];
                var q0 = new double[size * modes]; var v0 = new double[size * modes];
                for (int t = 0; t < size; t++)
                {
                    var (excitation, record) = Draw(config, physical, system, seed, lo + t);
                    excitation.Validate(system.Basis);
                    excitations[t] = excitation;
                    excitation.InitialState(system, q0.AsSpan(t * modes, modes), v0.AsSpan(t * modes, modes));
                    for (int i = 0; i < modes; i++)
                    {
                        initial[((long)(local + t) * modes + i) * 2] = q0[t * modes + i];
                        initial[((long)(local + t) * modes + i) * 2 + 1] = v0[t * modes + i];
                    }
                    record.ToArray().CopyTo(draws, (local + t) * 5);
                }
                var fieldSlice = fields.AsSpan((int)((long)local * fieldFrames * points * 2), size * fieldFrames * points * 2);
                var pickupSlice = pickupData.AsSpan((int)((long)local * frames * 2), size * frames * 2);
                if (excitations.All(e => e.ForceLocation is null))
                    batch.Run(q0, v0, size, pickupSlice, fieldSlice);
                else
                    for (int t = 0; t < size; t++)
                        WriteTrajectory(Simulator.Run(system, excitations[t], integrator, settings),
                            fieldSlice.Slice(t * fieldFrames * points * 2, fieldFrames * points * 2), pickupSlice.Slice(t * frames * 2, frames * 2));
                int finished = Interlocked.Add(ref done, size);
                progress?.Invoke(finished, count);
            });
        }
        else
        {
            Parallel.For(0, count, options, local =>
            {
                var (excitation, record) = Draw(config, physical, system, seed, first + local);
                var result = Simulator.Run(system, excitation, integrator, settings);
                WriteTrajectory(result, fields.AsSpan((int)((long)local * fieldFrames * points * 2), fieldFrames * points * 2),
                    pickupData.AsSpan((int)((long)local * frames * 2), frames * 2));
                var q0 = new double[modes]; var v0 = new double[modes];
                excitation.InitialState(system, q0, v0);
                for (int i = 0; i < modes; i++) { initial[((long)local * modes + i) * 2] = q0[i]; initial[((long)local * modes + i) * 2 + 1] = v0[i]; }
                record.ToArray().CopyTo(draws, local * 5);
                int finished = Interlocked.Increment(ref done);
                progress?.Invoke(finished, count);
            });
        }

        return new DatasetData
        {
            Config = config with { Modes = modes }, Total = total, Seed = seed, Shard = shard, Count = count, Modes = modes,
            FieldFrames = fieldFrames, GridPoints = points, PickupFrames = frames, Fields = fields, Pickup = pickupData,
            InitialState = initial, Draws = draws, Parameters = physical.Parameters.Describe(),
            Extent = physical.Parameters switch { PlateParameters p => [p.L1, p.L2], StringParameters s => [s.L], _ => [] },
        };
    }

    /// <summary>The excitation of global trajectory <paramref name="index"/>: always the same five draws, in order.</summary>
    public static (Excitation Excitation, DatasetTrajectoryRecord Record) Draw(DatasetConfig config, PhysicalSystem physical, ModalSystem system, ulong seed, int index)
    {
        var rng = Rng.ForStream(seed, (ulong)index);
        double a = config.Amplitude.Draw(rng), fx = config.PositionX.Draw(rng), fy = config.PositionY.Draw(rng);
        double fw = config.Width.Draw(rng), duration = config.ForceDuration.Draw(rng);
        var at = physical.FromFractions(fx, fy);
        double scale = physical.Parameters switch { StringParameters s => s.L, PlateParameters p => Math.Min(p.L1, p.L2), _ => 1 };
        double nan = double.NaN;
        return config.Excitation switch
        {
            "gaussian" => (new GaussianShape(a, at, fw * scale), new(a, at.X, system.Basis.Dimensions == 2 ? at.Y : nan, fw * scale, nan)),
            "pluck" => (new TriangularPluck(a, at.X), new(a, at.X, nan, nan, nan)),
            "random" => (new RandomShape(a, (int)(rng.NextUInt64() & 0x7FFFFFFF), config.RandomDecay), new(a, nan, nan, nan, nan)),
            "course-random" => (CourseRandom(system.Modes, a, rng), new(a, nan, nan, nan, nan)),
            "push" or "strike" => (new RaisedCosineForce(a, at, 0, duration, config.Excitation == "push"),
                new(a, system.Basis.Dimensions > 0 ? at.X : nan, system.Basis.Dimensions == 2 ? at.Y : nan, nan, duration)),
            _ => throw new InvalidSettingException($"dataset excitation '{config.Excitation}': allowed are gaussian, pluck, random, course-random, push, strike"),
        };
    }

    // One per-trajectory result into its dataset slices: field (T, W, 2) and pickup (frames, 2) as floats.
    private static void WriteTrajectory(SimulationResult result, Span<float> field, Span<float> pick)
    {
        result.Field.CopyTo(field);
        for (int n = 0; n < result.Frames; n++)
        {
            pick[2 * n] = (float)result.PickupDisplacement[n];
            pick[2 * n + 1] = (float)result.PickupVelocity[n];
        }
    }

    // q_m = a e^{−0.35 m} N(0, 1), m = 0..modes−1, at rest (spec §6.4).
    private static ModalState CourseRandom(int modes, double amplitude, Rng rng)
    {
        var q = new double[modes];
        for (int m = 0; m < modes; m++) q[m] = amplitude * Math.Exp(-0.35 * m) * rng.NextGaussian();
        return new ModalState(q, new double[modes], $"course-random:a={amplitude:G6}");
    }
}
