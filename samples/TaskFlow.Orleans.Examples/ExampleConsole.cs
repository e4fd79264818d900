using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Examples;

/// <summary>
/// Where an example prints: the example's own lines and its tasks' lines (tasks run on the in-process silo and get this
/// through their constructor), in the order they happen; plus the example's silo-side listener, if it has one. TaskFlow's
/// examples print to stdout from tasks and listeners alike; this is that stdout.
/// </summary>
public sealed class ExampleConsole : IFlowListener
{
    private TextWriter _out = TextWriter.Synchronized(Console.Out);

    /// <summary>Where lines go.</summary>
    public TextWriter Out
    {
        get => _out;
        set => _out = TextWriter.Synchronized(value);
    }

    /// <summary>The running example's listener (TaskFlow's <c>engine.notifier.register</c>), or none.</summary>
    public Action<FlowChangeContext>? OnChange { get; set; }

    /// <summary>Prints a line.</summary>
    /// <param name="line">The line.</param>
    public void WriteLine(string line = "") => _out.WriteLine(line);

    void IFlowListener.OnFlowStarted(FlowStartedContext started)
    {
    }

    void IFlowListener.OnChange(FlowChangeContext change) => OnChange?.Invoke(change);
}
