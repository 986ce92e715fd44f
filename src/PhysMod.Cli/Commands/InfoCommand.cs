using System.CommandLine;
using System.Numerics;
using PhysMod.Learning;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod info</c>: versions, libtorch load check, SIMD width and cores.</summary>
public static class InfoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("info", "Print versions, check that libtorch loads and computes a gradient, and show SIMD width and cores.");
        command.SetAction(_ =>
        {
            Console.WriteLine($"physmod {typeof(InfoCommand).Assembly.GetName().Version?.ToString(3)}, .NET {Environment.Version}, {Environment.ProcessorCount} cores");
            Console.WriteLine($"SIMD: Vector<double> = {Vector<double>.Count} lanes (hardware accelerated: {Vector.IsHardwareAccelerated}), Vector512: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
            var (version, threads, gradient) = TorchRuntime.Probe();
            Console.WriteLine($"libtorch {version} loaded, {threads} threads; d/dx x³ at 2 = {gradient} (expected 12)");
            return gradient == 12 ? 0 : 1;
        });
        return command;
    }
}
