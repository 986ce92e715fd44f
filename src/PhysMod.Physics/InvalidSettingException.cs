namespace PhysMod.Physics;

/// <summary>A user-facing setting (parameter, position, rate, integrator choice) that is out of its allowed range.</summary>
/// <remarks>The message is one line that names the value and what is allowed; the CLI prints it as is.</remarks>
public sealed class InvalidSettingException(string message) : ArgumentException(message)
{
    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    public static void RequirePositive(string name, double value, string unit)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new InvalidSettingException($"{name} = {Format(value)} {unit}: must be a finite number > 0");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0.</summary>
    public static void RequireNonNegative(string name, double value, string unit)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new InvalidSettingException($"{name} = {Format(value)} {unit}: must be a finite number ≥ 0");
    }

    /// <summary>Throws unless 0 &lt; <paramref name="position"/> &lt; <paramref name="length"/>.</summary>
    public static void RequireInside(string name, double position, double length)
    {
        if (!(position > 0 && position < length))
            throw new InvalidSettingException(
                $"{name} = {Format(position)} m: must lie strictly inside (0, {Format(length)}) m");
    }

    /// <summary>Formats a number compactly and culture-invariantly for messages.</summary>
    public static string Format(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
