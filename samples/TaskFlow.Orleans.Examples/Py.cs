using System.Collections;
using System.Runtime.CompilerServices;
using System.Globalization;

namespace TaskFlow.Orleans.Examples;

/// <summary>Python's <c>repr</c> and <c>str</c> of the values the examples print, so their output reads as TaskFlow's does.</summary>
public static class Py
{
    /// <summary>Python's <c>repr(value)</c>: strings quoted, floats with a decimal point, dicts and lists in Python's form.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Repr(object? value) => value switch
    {
        null => "None",
        string s => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'",
        _ => Str(value, repr: true),
    };

    /// <summary>Python's <c>str(value)</c>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Str(object? value) => Str(value, repr: false);

    /// <summary>A dictionary as Python prints it, keys in the given order.</summary>
    /// <param name="pairs">The pairs.</param>
    /// <returns>The text.</returns>
    public static string Dict(IEnumerable<KeyValuePair<string, object?>> pairs) =>
        "{" + string.Join(", ", pairs.Select(p => $"{Repr(p.Key)}: {Repr(p.Value)}")) + "}";

    private static string Str(object? value, bool repr) => value switch
    {
        null => "None",
        string s => repr ? Repr(s) : s,
        bool b => b ? "True" : "False",
        double d => Float(d),
        float f => Float(f),
        IConvertible c when value.GetType().IsPrimitive || value is decimal => c.ToString(CultureInfo.InvariantCulture),
        IDictionary dictionary => "{" + string.Join(", ", dictionary.Keys.Cast<object?>().Select(k => $"{Repr(k)}: {Repr(dictionary[k!])}")) + "}",
        ITuple tuple => "(" + string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => Repr(tuple[i]))) + (tuple.Length == 1 ? ",)" : ")"),
        IEnumerable sequence => "[" + string.Join(", ", sequence.Cast<object?>().Select(Repr)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Float(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) || !double.IsFinite(value) ? text : text + ".0";
    }

    /// <summary>TaskFlow's <c>example_utils.print_wrapped</c>: the text between two rules of its length.</summary>
    /// <param name="console">Where to print.</param>
    /// <param name="text">The text.</param>
    public static void PrintWrapped(ExampleConsole console, string text)
    {
        console.WriteLine(new string('-', text.Length));
        console.WriteLine(text);
        console.WriteLine(new string('-', text.Length));
    }
}
