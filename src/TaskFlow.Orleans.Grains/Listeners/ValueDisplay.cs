using System.Globalization;

namespace TaskFlow.Orleans.Grains.Listeners;

/// <summary>How values appear in logs: whole up to a few hundred characters, cut short beyond that with the full length,
/// so a large input or result never becomes one enormous log line.</summary>
internal static class ValueDisplay
{
    /// <summary>The most characters of a value a log line shows.</summary>
    public const int MaxValueChars = 300;

    /// <summary>The most characters of a failure (type, message and stack trace) a log line shows.</summary>
    public const int MaxFailureChars = 4000;

    /// <summary>The value as text, at most <paramref name="maxChars"/> characters followed by <c>…(N chars)</c> when longer.</summary>
    public static string? Shorten(object? value, int maxChars = MaxValueChars) =>
        Shorten(Convert.ToString(value, CultureInfo.InvariantCulture), maxChars);

    /// <summary>The text, at most <paramref name="maxChars"/> characters followed by <c>…(N chars)</c> when longer.</summary>
    public static string? Shorten(string? text, int maxChars = MaxValueChars)
    {
        if (text is null || text.Length <= maxChars)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars; // never half a character
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, cut)}…({text.Length:N0} chars)");
    }
}
