using System.Globalization;
using TaskFlow.Orleans.Client;

namespace TaskFlow.Orleans.Cli;

/// <summary>Turns <c>--input name=value</c> pairs into flow inputs; numbers and booleans keep their type.</summary>
internal static class InputParser
{
    /// <summary>A flow state as TaskFlow names it (RUNNING, REVERTED, ...; any case), or an error listing the names.</summary>
    public static States.FlowState ParseFlowState(string text)
    {
        foreach (var state in Enum.GetValues<States.FlowState>())
        {
            if (string.Equals(States.StateNames.Of(state), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return state;
            }
        }

        throw new FormatException(
            $"--state '{text}' is not a flow state; use one of {string.Join(", ", Enum.GetValues<States.FlowState>().Select(States.StateNames.Of))}.");
    }

    public static FlowInputs Parse(IEnumerable<string> pairs)
    {
        var inputs = new FlowInputs();
        foreach (var pair in pairs)
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                throw new FormatException($"Input '{pair}' is not of the form name=value, e.g. --input network=tenant-a.");
            }

            inputs[pair[..split]] = ParseValue(pair[(split + 1)..]);
        }

        return inputs;
    }

    private static object ParseValue(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) ? integer
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && text.Contains('.') ? number
        : bool.TryParse(text, out var flag) ? flag
        : text;
}
