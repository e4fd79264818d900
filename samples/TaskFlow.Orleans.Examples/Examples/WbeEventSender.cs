using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Examples.WbeEventSender;

// taskflow/examples/wbe_event_sender.py: a task running on a remote worker sends events back to whoever watches it
// (TaskFlow's task notifier, proxied by the worker-based engine). Here a task sends them with Context.ReportProgress, which
// reaches the engine wherever the task runs and is published to silo listeners and client watchers; the event's name and
// details travel in the report's details. A report that arrives after a newer one, or after the task ended, is dropped,
// so a watcher sees the events in order but may miss some. The delay between events is 0.02 s rather than 0.1 s.

/// <summary>Reports the letters A to Z as events.</summary>
public sealed class EventReporter : FlowTask
{
    private static readonly string[] Events = [.. Enumerable.Range('A', 26).Select(c => ((char)c).ToString())];

    public async Task Execute(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Events.Length; i++)
        {
            var details = Py.Dict([new("leftover", new TupleOf(Events[i..]))]);
            Context.ReportProgress((double)(i + 1) / Events.Length, $"{Events[i]}|{details}");
            await Task.Delay(TimeSpan.FromSeconds(0.02), cancellationToken);
        }
    }

    /// <summary>Prints as a Python tuple.</summary>
    private sealed class TupleOf(string[] items)
    {
        public override string ToString() => "(" + string.Join(", ", items.Select(Py.Repr)) + ")";
    }
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    public string Name => "wbe_event_sender";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<EventReporter>();

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        console.OnChange = change =>
        {
            // event_receiver
            if (change.Event.ProgressDetails is { } details && details.Split('|', 2) is [var eventType, var rest])
            {
                console.WriteLine($"Recieved event '{eventType}'");
                console.WriteLine($"Details = {rest}");
            }
        };
        try
        {
            console.WriteLine("Running 1 workers.");
            console.WriteLine("Executing some work.");
            await host.Client.RunAsync(Flow.Linear("event-reporter").Add<EventReporter>().Build());
            console.WriteLine("Execution finished.");
        }
        finally
        {
            console.OnChange = null;
            console.WriteLine("Stopping workers.");
        }
    }
}
