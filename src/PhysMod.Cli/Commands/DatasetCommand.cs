using System.CommandLine;
using System.Diagnostics;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod dataset</c>: many trajectories with random excitations, as one safetensors file (or one shard of it).</summary>
public static class DatasetCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var o = new SystemOptions();
        var count = new Option<int?>("--count") { Description = "number of trajectories (default 100 for presets)" };
        var seed = new Option<ulong>("--seed") { Description = "random seed", DefaultValueFactory = _ => 0 };
        var shard = new Option<string>("--shard") { Description = "make part i of n (i/n); merge the parts with physmod merge" };
        var output = new Option<string>("--out") { Description = "output file (.safetensors)", Required = true };
        var excitation = new Option<string>("--excitation") { Description = "random excitation family: gaussian, pluck, random, course-random, push, strike" };
        var ranges = new Option<string[]>("--range") { Description = "NAME=LOW:HIGH for amplitude, x, y, width, force_duration (positions/widths as fractions of the length)" };
        var fieldFrames = new Option<int?>("--field-frames") { Description = "leading frames of the field to store (default 200)" };
        var threads = new Option<int>("--threads") { Description = "worker threads (default: all cores; the output does not depend on it)" };
        var command = new Command("dataset", $"Generate a dataset. Presets: {string.Join(", ", DatasetPresets.All.Select(p => p.Name))}; or a system name for a custom recipe.");
        o.AddTo(command);
        foreach (Option option in new Option[] { count, seed, shard, output, excitation, ranges, fieldFrames, threads }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var config = Resolve(parse, o, excitation, ranges, fieldFrames);
            int total = parse.GetValue(count) ?? 100;
            var part = parse.GetValue(shard) is { } s ? DatasetShard.Parse(s) : DatasetShard.Whole;
            string path = parse.GetRequiredValue(output);
            var file = Generate(config, total, parse.GetValue(seed), part, path, parse.GetValue(threads));
            Console.WriteLine(file);
            return 0;
        });
        return command;
    }

    /// <summary>Generates and writes; prints a summary line with throughput to stderr.</summary>
    public static string Generate(DatasetConfig config, int total, ulong seed, DatasetShard shard, string path, int threads = 0)
    {
        CheckWritable(path);
        var progress = new ConsoleProgress($"dataset {config.Name}");
        var clock = Stopwatch.StartNew();
        var data = DatasetGenerator.Generate(config, total, seed, shard, threads, (done, all) => progress.Report((double)done / all, $"{done}/{all}"));
        double seconds = clock.Elapsed.TotalSeconds;
        DatasetFile.Write(path, data);
        long bytes = new FileInfo(path).Length;
        Console.Error.WriteLine(FormattableString.Invariant(
            $"{data.Count} trajectories × {config.Duration:G4} s ({data.Modes} modes, {config.Integrator}) in {seconds:F2} s: {data.Count * config.Duration / seconds:F0}× real time; {bytes / 1e6:F1} MB"));
        return Path.GetFullPath(path);
    }

    // Fails before the (possibly hours-long) generation, with a message naming the path, rather than after it.
    private static void CheckWritable(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new InvalidSettingException($"--out '{path}' is a folder: give a file name, e.g. {Path.Combine(path, "dataset.safetensors")}");
        try
        {
            string directory = Path.GetDirectoryName(full) ?? ".";
            Directory.CreateDirectory(directory);
            using var probe = new FileStream(Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.probe"),
                FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"output file '{path}' cannot be written: {e.Message}", e);
        }
    }

    private static DatasetConfig Resolve(ParseResult parse, SystemOptions o, Option<string> excitation, Option<string[]> ranges, Option<int?> fieldFrames)
    {
        string name = parse.GetRequiredValue(o.System);
        var config = DatasetPresets.Find(name) ?? (PhysMod.Physics.Simulation.PhysicalSystem.Kinds.Contains(name)
            ? new DatasetConfig { Name = "custom", System = name, GridPoints = name == "string" ? 101 : name == "oscillator" ? 1 : 17,
                Excitation = name == "oscillator" ? "push" : "gaussian", Amplitude = name == "oscillator" ? new(4e6, 5e6) : new(0.002, 0.01) }
            : throw new InvalidSettingException($"unknown system or dataset preset '{name}': allowed are {string.Join(", ", PhysMod.Physics.Simulation.PhysicalSystem.Kinds.Concat(DatasetPresets.All.Select(p => p.Name)))}"));
        if (parse.GetValue(o.Preset) is { } preset) config = config with { Preset = preset };
        var overrides = SystemOptions.ParseOverrides(parse.GetValue(o.Set));
        if (overrides.Count > 0) config = config with { Overrides = overrides };
        if (parse.GetValue(o.Integrator) is { } integrator) config = config with { Integrator = integrator };
        if (parse.GetValue(o.SampleRate) is { } fs) config = config with { SampleRate = fs };
        if (parse.GetValue(o.Duration) is { } duration) config = config with { Duration = duration };
        if (parse.GetValue(o.Modes) is { } modes) config = config with { Modes = modes };
        if (parse.GetValue(o.Grid) is { } grid) config = config with { GridPoints = grid };
        if (parse.GetValue(o.Oversample) is { } oversample) config = config with { Oversample = oversample };
        if (parse.GetValue(o.Linear)) config = config with { TensionModulation = false };
        if (parse.GetValue(fieldFrames) is { } frames) config = config with { FieldFrames = frames };
        if (parse.GetValue(excitation) is { } family) config = config with { Excitation = family };
        if (parse.GetValue(o.Excite) is not null) throw new InvalidSettingException("dataset draws random excitations: use --excitation FAMILY and --range NAME=LOW:HIGH instead of --excite");
        if (parse.GetValue(o.Pickup) is { } pickup) throw new InvalidSettingException($"dataset --pickup '{pickup}': not supported; datasets read out at 0.82 of the length");
        foreach (var item in parse.GetValue(ranges) ?? [])
        {
            int eq = item.IndexOf('=');
            if (eq <= 0) throw new InvalidSettingException($"--range '{item}': expected NAME=LOW:HIGH");
            string key = item[..eq];
            var range = UniformRange.Parse(key, item[(eq + 1)..]);
            config = key switch
            {
                "amplitude" => config with { Amplitude = range }, "x" => config with { PositionX = range }, "y" => config with { PositionY = range },
                "width" => config with { Width = range }, "force_duration" => config with { ForceDuration = range },
                _ => throw new InvalidSettingException($"--range {key}: allowed names are amplitude, x, y, width, force_duration"),
            };
        }
        return config;
    }
}
