using System.CommandLine;
using PhysMod.Cli;
using PhysMod.Cli.Commands;

var root = new RootCommand("PhysMod: physical-modelling sound synthesis with neural networks (simulators, datasets, training, real time).");
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(DatasetCommand.Create());
root.Subcommands.Add(MergeCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(CompareCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(RenderCommand.Create(RunVoiceFactory.Create));
root.Subcommands.Add(EstimateCommand.Create());
root.Subcommands.Add(PinnCommand.Create());
return CliRunner.Run(root, args);
