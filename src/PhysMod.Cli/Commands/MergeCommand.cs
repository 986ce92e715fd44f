using System.CommandLine;
using PhysMod.Physics.Datasets;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod merge</c>: joins dataset shards made with <c>--shard i/n</c> into the dataset they are parts of.</summary>
public static class MergeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var shards = new Argument<string[]>("shards") { Description = "shard files (any order)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "merged dataset file", Required = true };
        var command = new Command("merge", "Merge dataset shards into one dataset (identical to generating it unsharded).");
        command.Arguments.Add(shards);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            string path = parse.GetRequiredValue(output);
            DatasetFile.Merge(parse.GetRequiredValue(shards), path);
            Console.WriteLine(Path.GetFullPath(path));
            return 0;
        });
        return command;
    }
}
