using System.Globalization;
using System.Text;

namespace TaskFlow.Orleans.Limits;

/// <summary>The rules for a flow id, checked by the client library before anything is sent and by silos before anything is stored.</summary>
/// <remarks>
/// A flow id is 1 to <see cref="TaskFlowLimits.MaxFlowIdLength"/> characters (default 200) of letters, digits, punctuation,
/// symbols and single-space-separated words: no control characters (tabs and line breaks included), no invisible format
/// characters (zero-width or bidirectional marks, which make two ids look alike), no line or paragraph separators, no
/// whitespace other than an inner U+0020 space, no space at either end, and no half of a surrogate pair (which databases
/// cannot store as text). Ids are keys of database rows and reminders, and are shown in logs, the CLI and the dashboard.
/// </remarks>
public static class FlowIds
{
    /// <summary>Why <paramref name="flowId"/> is not a valid flow id, or <see langword="null"/> when it is.</summary>
    /// <param name="flowId">The id.</param>
    /// <param name="maxLength">The longest id allowed (<see cref="TaskFlowLimits.MaxFlowIdLength"/>).</param>
    /// <returns>The rule it breaks, as a sentence that starts with "Flow id", or <see langword="null"/>.</returns>
    public static string? Problem(string? flowId, int maxLength = TaskFlowLimits.DefaultMaxFlowIdLength)
    {
        if (flowId is null)
        {
            return "Flow id is missing; give a non-empty id, or none to get a new GUID.";
        }

        if (flowId.Length == 0)
        {
            return "Flow id is empty; give a non-empty id, or none to get a new GUID.";
        }

        if (flowId.Length > maxLength)
        {
            return LengthProblem(flowId, maxLength);
        }

        if (string.IsNullOrWhiteSpace(flowId))
        {
            return $"Flow id \"{Show(flowId)}\" is only whitespace; give an id with letters, digits or symbols.";
        }

        if (flowId[0] == ' ' || flowId[^1] == ' ')
        {
            return $"Flow id \"{Show(flowId)}\" starts or ends with a space; remove it.";
        }

        for (var i = 0; i < flowId.Length; i++)
        {
            var c = flowId[i];
            if (char.IsHighSurrogate(c) && i + 1 < flowId.Length && char.IsLowSurrogate(flowId[i + 1]))
            {
                i++; // a whole surrogate pair: a character outside the BMP, allowed like any other
                continue;
            }

            var what = Describe(c);
            if (what is not null)
            {
                return $"Flow id \"{Show(flowId)}\" has {what} (U+{(int)c:X4}) at position {i}; a flow id may hold letters, digits, " +
                       "punctuation, symbols and inner spaces, but no control, invisible-format or line-break characters and no other whitespace.";
            }
        }

        return null;
    }

    /// <summary>Throws when <paramref name="flowId"/> is not a valid flow id (see <see cref="FlowIds"/>).</summary>
    /// <param name="flowId">The id.</param>
    /// <param name="maxLength">The longest id allowed (<see cref="TaskFlowLimits.MaxFlowIdLength"/>).</param>
    /// <param name="paramName">The parameter the id came in, named in the exception.</param>
    /// <exception cref="ArgumentException">The id breaks a rule; the message says which and how to fix it.</exception>
    public static void Validate(string? flowId, int maxLength = TaskFlowLimits.DefaultMaxFlowIdLength, string paramName = "flowId")
    {
        if (Problem(flowId, maxLength) is { } problem)
        {
            throw new ArgumentException(problem, paramName);
        }
    }

    /// <summary>The message for an id over the length limit.</summary>
    internal static string LengthProblem(string flowId, int maxLength) =>
        LimitExceededException.Format("FlowIdLength", $"Flow id \"{Show(flowId)}\"", flowId.Length, maxLength, "characters long",
            "TaskFlow:Limits:MaxFlowIdLength", "Use a shorter id (a GUID is 32 characters)");

    /// <summary>The id as it may be quoted in a message: at most 40 characters, control characters escaped.</summary>
    internal static string Show(string flowId)
    {
        var shown = new StringBuilder();
        foreach (var c in flowId.Length > 40 ? flowId[..40] : flowId)
        {
            shown.Append(Describe(c) is not null ? $"\\u{(int)c:X4}" : c.ToString());
        }

        if (flowId.Length > 40)
        {
            shown.Append(CultureInfo.InvariantCulture, $"…({flowId.Length:N0} chars)");
        }

        return shown.ToString();
    }

    private static string? Describe(char c)
    {
        if (char.IsSurrogate(c))
        {
            return "half of a surrogate pair";
        }

        return char.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.Control => "a control character",
            UnicodeCategory.Format => "an invisible format character",
            UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a line-break character",
            UnicodeCategory.SpaceSeparator when c != ' ' => "a whitespace character other than a plain space",
            _ => null,
        };
    }
}
