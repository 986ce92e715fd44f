using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PhysMod.Learning.Operators;

/// <summary>CPU seconds used so far by every thread of this process (clock_gettime(CLOCK_PROCESS_CPUTIME_ID) on Linux, as
/// Python's time.process_time; Process.TotalProcessorTime elsewhere).</summary>
internal static partial class ProcessCpuClock
{
    private const int ProcessCpuTimeId = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Process CPU time in seconds.</summary>
    public static double Now()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ProcessCpuTimeId, out var t) == 0) return t.Seconds + t.Nanoseconds * 1e-9;
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }
}
