using System.Diagnostics;

namespace PhysMod.Cli;

/// <summary>Progress on stderr: a redrawn bar with ETA in a terminal, plain lines every few seconds otherwise.</summary>
public sealed class ConsoleProgress(string label)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Lock _gate = new();
    private double _lastPrinted = double.NegativeInfinity;

    /// <summary>Reports a fraction in [0, 1] with an optional detail.</summary>
    public void Report(double fraction, string detail = "")
    {
        lock (_gate)
        {
            double now = _clock.Elapsed.TotalSeconds;
            bool done = fraction >= 1;
            if (!done && now - _lastPrinted < (_interactive ? 0.2 : 5)) return;
            _lastPrinted = now;
            string eta = fraction > 0 && !done ? $" ETA {TimeSpan.FromSeconds(now * (1 - fraction) / fraction):mm\\:ss}" : "";
            string text = $"{label} {fraction * 100,5:F1}% {detail}{eta} ({now:F1} s)";
            if (_interactive)
            {
                int filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 30);
                Console.Error.Write($"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {text}   ");
                if (done) Console.Error.WriteLine();
            }
            else
            {
                Console.Error.WriteLine(text);
            }
        }
    }
}
