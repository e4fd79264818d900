using TaskFlow.Orleans.Client.Graphs;
using TaskFlow.Orleans.Graphs;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Cli;

/// <summary>The <c>graph</c> command's formats and output: a run's graph rendered as DOT, Mermaid or SVG, to a file or stdout.</summary>
internal static class GraphExport
{
    /// <summary>The formats, as <c>--format</c> takes them.</summary>
    public static readonly string[] Formats = ["dot", "mermaid", "svg"];

    /// <summary>A format name (any case), or an error listing the formats.</summary>
    public static string ParseFormat(string? text)
    {
        var format = text?.Trim().ToLowerInvariant();
        return Formats.Contains(format)
            ? format!
            : throw new FormatException($"--format '{text}' is not a graph format; use one of {string.Join(", ", Formats)}.");
    }

    /// <summary>Checks, before anything connects, that the file can be written where it is asked for.</summary>
    public static void CheckOutput(string? path)
    {
        if (path is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(path) || Directory.Exists(path))
        {
            throw new ArgumentException($"--output '{path}' is not a file name; give the file to write, e.g. --output flow.svg.");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new ArgumentException($"--output '{path}': the directory '{directory}' does not exist. Create it, or write elsewhere.");
        }
    }

    public static string Render(string format, FlowGraph graph, IReadOnlyDictionary<string, AtomState> states) => format switch
    {
        "mermaid" => FlowGraphRenderer.ToMermaid(graph, states),
        "svg" => FlowGraphRenderer.ToSvg(graph, states),
        _ => FlowGraphRenderer.ToDot(graph, states),
    };

    /// <summary>Writes the text to the file, or to standard output when there is none.</summary>
    public static void Write(string text, string? path)
    {
        if (path is null)
        {
            Console.Out.Write(text);
            Console.Out.Flush();
            return;
        }

        try
        {
            File.WriteAllText(path, text);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.BadInput, $"Cannot write the graph to '{path}': {exception.Message}", exception);
        }
    }
}
