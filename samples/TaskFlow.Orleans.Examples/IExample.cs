using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Examples;

/// <summary>One of TaskFlow's examples.</summary>
public interface IExample
{
    /// <summary>The original's file name without <c>.py</c>, e.g. <c>simple_linear_pass</c>.</summary>
    string Name { get; }

    /// <summary>Whether the example keeps its runs in a database file (SQLite), as TaskFlow's persistence examples use a
    /// backend: <see cref="ExampleHost.StorePath"/>.</summary>
    bool NeedsStore => false;

    /// <summary>Registers the example's tasks on the silo.</summary>
    /// <param name="taskFlow">The silo's TaskFlow builder.</param>
    void Register(TaskFlowBuilder taskFlow);

    /// <summary>Runs the example, printing to <see cref="ExampleHost.Console"/>.</summary>
    /// <param name="host">The silo and client.</param>
    /// <returns>When it is done.</returns>
    Task RunAsync(ExampleHost host);
}
