using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PhysMod.Physics.Diagnostics;

/// <summary>CPU-time clocks for benchmarks on shared machines, where wall time measures the other processes too.</summary>
/// <remarks>On Linux clock_gettime with CLOCK_THREAD_CPUTIME_ID (the calling thread) or CLOCK_PROCESS_CPUTIME_ID (every thread
/// of this process, as Python's time.process_time).</remarks>
public static class CpuClock
{
    private const int ProcessCpuTimeId = 2, ThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>CPU seconds used so far by the calling thread; NaN where the OS offers no such clock (use wall time then).</summary>
    public static double ThreadSeconds() =>
        OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuTimeId, out var t) == 0 ? t.Seconds + 1e-9 * t.Nanoseconds : double.NaN;

    /// <summary>CPU seconds used so far by every thread of this process.</summary>
    public static double ProcessSeconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ProcessCpuTimeId, out var t) == 0) return t.Seconds + 1e-9 * t.Nanoseconds;
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }
}
