using PhysMod.Physics.Datasets;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Simulation;

namespace PhysMod.Tests.Datasets;

/// <summary>The dataset generator's lane-batched path (unforced conservative runs) writes what per-trajectory simulation
/// writes, for shards whose ends cut through lane groups, and forced excitations still take the per-trajectory path.</summary>
public sealed class BatchedGenerationTests
{
    [Theory]
    [InlineData(19, 1, 2, "gaussian")]     // trajectories 9–18: the ends of two lane groups
    [InlineData(5, 0, 1, "gaussian")]      // one partial group
    [InlineData(6, 1, 2, "push")]          // forced: per-trajectory inside the group loop
    public void GeneratedTrajectoriesMatchTheSimulator(int total, int index, int of, string excitation)
    {
        var config = DatasetTestData.ShortBenchmark with { Excitation = excitation, Amplitude = excitation == "push" ? new(1, 3) : DatasetTestData.ShortBenchmark.Amplitude };
        var shard = new DatasetShard(index, of);
        var data = DatasetGenerator.Generate(config, total, 5, shard, threads: 2);

        var physical = PhysicalSystem.Resolve(config.System, config.Preset, config.Overrides);
        var system = physical.Build(data.Modes, config.TensionModulation, config.TensionCoefficient);
        var settings = new SimulationSettings(config.SampleRate, config.Duration, physical.FromFractions(config.PickupFractionX, config.PickupFractionY),
            config.Oversample, config.GridPoints, config.FieldFrames);
        int frames = data.PickupFrames, fieldSize = data.FieldFrames * data.GridPoints * 2;
        for (int local = 0; local < data.Count; local++)
        {
            var (shape, _) = DatasetGenerator.Draw(config, physical, system, 5, shard.First(total) + local);
            var reference = Simulator.Run(system, shape, Integrator.Parse(config.Integrator), settings);
            var pickup = data.Pickup.AsSpan(local * frames * 2, frames * 2);
            double error = 0, scale = 0;
            double peakDisplacement = reference.PickupDisplacement.Max(Math.Abs), peakVelocity = reference.PickupVelocity.Max(Math.Abs);
            for (int n = 0; n < frames; n++)
            {
                error = Math.Max(error, Math.Abs(pickup[2 * n] - (float)reference.PickupDisplacement[n]) / peakDisplacement);
                error = Math.Max(error, Math.Abs(pickup[2 * n + 1] - (float)reference.PickupVelocity[n]) / peakVelocity);
            }
            var field = data.Fields.AsSpan(local * fieldSize, fieldSize);
            for (int k = 0; k < fieldSize; k++) scale = Math.Max(scale, Math.Abs(reference.Field[k]));
            for (int k = 0; k < fieldSize; k++) error = Math.Max(error, Math.Abs(field[k] - reference.Field[k]) / scale);
            Assert.True(scale > 0, "the string must move");
            Assert.True(error <= 1e-6, $"trajectory {local}: relative error {error:E2}");
            if (excitation == "push")
                Assert.Equal(reference.Field, field.ToArray());     // the same code path: bit for bit
        }
    }
}
